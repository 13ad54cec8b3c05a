"""The editors' side: every admin page opens, albums are built in one form, changelists stay cheap."""

import pytest
from django.contrib import admin
from django.urls import reverse

from catalog import models
from tests import factories
from tests.pages import assert_changelist_queries_fixed, form_data, parse

CATALOG_ADMINS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "catalog"),
    key=lambda model: model._meta.model_name,
)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def every_model_has_a_row(lost_in_translation):
    """The fixture has no chart runs yet; add one so every registered model has a row to open."""
    factories.ChartEntryFactory(album=lost_in_translation, chart=factories.ChartFactory(name="UK Soundtrack Albums"))
    return lost_in_translation


def test_the_catalog_registers_its_models():
    names = {model.__name__ for model in CATALOG_ADMINS}
    assert {"Album", "Track", "Artist", "Label", "Genre", "Film", "Credit", "Edition", "Source"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("model", CATALOG_ADMINS, ids=lambda m: m._meta.model_name)
def test_every_admin_page_opens(editor_client, every_model_has_a_row, model):
    obj = model._default_manager.first()
    assert obj is not None, f"no {model.__name__} to open"

    changelist = editor_client.get(admin_url(model, "changelist"))
    add = editor_client.get(admin_url(model, "add"))
    change = editor_client.get(admin_url(model, "change", obj.pk))

    assert (changelist.status_code, add.status_code, change.status_code) == (200, 200, 200)
    assert changelist.context["cl"].result_count >= 1
    assert add.context["add"] is True
    assert change.context["original"] == obj


@pytest.mark.django_db
@pytest.mark.parametrize("model", CATALOG_ADMINS, ids=lambda m: m._meta.model_name)
def test_every_changelist_searches(editor_client, every_model_has_a_row, model):
    response = editor_client.get(admin_url(model, "changelist"), {"q": "Lost in Translation"})
    assert response.status_code == 200
    assert response.context["cl"].query == "Lost in Translation"


@pytest.mark.django_db
def test_search_finds_the_track_and_only_it(editor_client, lost_in_translation):
    response = editor_client.get(admin_url(models.Track, "changelist"), {"q": "Shibuya"})
    assert response.status_code == 200
    results = parse(response.content).find(id="result_list")
    assert "Shibuya" in results.text
    assert "City Girl" not in results.text


@pytest.mark.django_db
def test_album_changelist_filters(editor_client, lost_in_translation):
    factories.AlbumFactory(title="An Unfinished Draft", draft=True)
    url = admin_url(models.Album, "changelist")

    published = editor_client.get(url, {"status__exact": "published"})
    drafts = editor_client.get(url, {"status__exact": "draft"})
    shoegaze = editor_client.get(url, {"genres__id__exact": models.Genre.objects.get(slug="shoegaze").pk})

    assert [r.status_code for r in (published, drafts, shoegaze)] == [200, 200, 200]
    assert lost_in_translation.title in published.content.decode()
    assert "An Unfinished Draft" not in published.content.decode()
    assert "An Unfinished Draft" in drafts.content.decode()
    assert lost_in_translation.title not in drafts.content.decode()
    assert lost_in_translation.title in shoegaze.content.decode()


@pytest.mark.django_db
def test_track_changelist_filter(editor_client, lost_in_translation):
    response = editor_client.get(admin_url(models.Track, "changelist"), {"is_hidden__exact": "1"})
    assert response.status_code == 200
    results = parse(response.content).find(id="result_list").text
    assert "More Than This" in results
    assert "City Girl" not in results


@pytest.mark.django_db
def test_album_change_page_warns_when_lengths_are_unknown(editor_client, lost_in_translation):
    response = editor_client.get(admin_url(models.Album, "change", lost_in_translation.pk))
    assert "17 of 17 tracks have no length" in parse(response.content).text


INLINE_PREFIXES = ["tracks", "credits", "samples", "songs_in_film", "editions", "chart_entries", "sources"]


@pytest.mark.django_db
def test_album_add_page_has_every_inline(editor_client):
    response = editor_client.get(admin_url(models.Album, "add"))
    data = form_data(response.content, form_id="album_form")
    for prefix in INLINE_PREFIXES:
        assert data[f"{prefix}-TOTAL_FORMS"] == "0"
        assert data[f"{prefix}-INITIAL_FORMS"] == "0"


@pytest.mark.django_db
def test_album_with_20_tracks_and_10_credits_in_one_post(editor_client):
    label = factories.LabelFactory(name="Emperor Norton Records")
    genre = factories.GenreFactory(name="Dream pop")
    artists = factories.ArtistFactory.create_batch(10)
    role = factories.RoleFactory(name="production")
    page = editor_client.get(admin_url(models.Album, "add"))
    data = form_data(page.content, form_id="album_form")
    data.update({
        "title": "Twenty Tracks",
        "slug": "twenty-tracks",
        "album_type": "soundtrack",
        "status": "published",
        "release_date": "2003-09",
        "length": "1:10:00",
        "label": str(label.pk),
        "genres": [str(genre.pk)],
        "catalogue_number": "TT-20",
        "_save": "Save",
    })
    data["tracks-TOTAL_FORMS"] = "20"
    for i in range(20):
        data.update({
            f"tracks-{i}-disc": "1",
            f"tracks-{i}-position": str(i + 1),
            f"tracks-{i}-title": f"Piece {i + 1}",
            f"tracks-{i}-length": "3:30",
        })
    data["credits-TOTAL_FORMS"] = "10"
    for i, artist in enumerate(artists):
        data.update({
            f"credits-{i}-position": str(i + 1),
            f"credits-{i}-artist": str(artist.pk),
            f"credits-{i}-role": str(role.pk),
        })

    response = editor_client.post(admin_url(models.Album, "add"), data)

    assert response.status_code == 302, parse(response.content).find(class_="errornote")
    album = models.Album.objects.get(slug="twenty-tracks")
    assert list(album.tracks.values_list("title", flat=True)) == [f"Piece {i}" for i in range(1, 21)]
    assert album.credits.count() == 10
    assert set(album.credits.values_list("artist", flat=True)) == {artist.pk for artist in artists}
    assert album.label == label and list(album.genres.all()) == [genre]
    assert album.length_summary().agrees is True  # 20 × 3:30 = 1:10:00


def _rows_for(model, count):
    """`count` rows of a registered model, with the relations its changelist shows."""
    builders = {
        models.Album: lambda: factories.AlbumFactory(
            film=factories.FilmFactory(), genres=[factories.GenreFactory()]
        ),
        models.Track: lambda: factories.TrackArtistFactory().track,
        models.Artist: lambda: factories.ArtistFactory(country="JP"),
        models.Membership: factories.MembershipFactory,
        models.Label: lambda: factories.AlbumFactory().label,
        models.Genre: factories.GenreFactory,
        models.Film: lambda: factories.FilmCreditFactory(role=models.FilmRole.DIRECTOR).film,
        models.FilmCredit: factories.FilmCreditFactory,
        models.Role: factories.RoleFactory,
        models.Credit: lambda: factories.CreditFactory(tracks=[factories.TrackFactory()]),
        models.Sample: factories.SampleFactory,
        models.SongInFilm: lambda: factories.SongInFilmFactory(
            track=factories.TrackFactory(), title=""
        ),
        models.Edition: factories.EditionFactory,
        models.Chart: factories.ChartFactory,
        models.ChartEntry: factories.ChartEntryFactory,
        models.Source: factories.SourceFactory,
        models.EditionTrack: factories.EditionTrackFactory,
        models.TrackArtist: factories.TrackArtistFactory,
        models.TrackWriter: factories.TrackWriterFactory,
    }
    assert model in builders, f"add a row builder for {model.__name__}"
    for _ in range(count):
        builders[model]()


@pytest.mark.django_db
@pytest.mark.parametrize("model", CATALOG_ADMINS, ids=lambda m: m._meta.model_name)
def test_changelist_queries_do_not_grow_with_rows(editor_client, django_assert_max_num_queries, model):
    assert_changelist_queries_fixed(
        editor_client, admin_url(model, "changelist"), lambda count: _rows_for(model, count),
        django_assert_max_num_queries,
    )
