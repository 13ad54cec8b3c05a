"""Bad input never reaches the database and never answers 500: editors see a form error, visitors a 404."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from catalog import models
from tests import factories
from tests.factories import image_bytes
from tests.pages import form_data, parse

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse(f"admin:catalog_{obj._meta.model_name}_change", args=[obj.pk])


def add_url(model):
    return reverse(f"admin:catalog_{model._meta.model_name}_add")


def errors_shown(response):
    """The error texts the admin shows next to fields and formsets."""
    root = parse(response.content)
    return [element.text for element in root.find_all(class_="errorlist")]


def assert_refused(response):
    assert response.status_code == 200, "the admin should show the form again, with its errors"
    assert parse(response.content).find(class_="errornote") is not None


@pytest.fixture
def album_with_tracks():
    album = factories.AlbumFactory(title="Two Tracks", length=datetime.timedelta(minutes=7))
    factories.TrackFactory(album=album, position=1, title="First", length=datetime.timedelta(minutes=3))
    factories.TrackFactory(album=album, position=2, title="Second", length=datetime.timedelta(minutes=4))
    return album


def album_change_data(client, album):
    data = form_data(client.get(change_url(album)).content, form_id="album_form")
    data["_save"] = "Save"
    return data


# Tracks ------------------------------------------------------------------------------------------


def test_duplicate_track_position_in_the_admin(editor_client, album_with_tracks):
    data = album_change_data(editor_client, album_with_tracks)
    assert data["tracks-TOTAL_FORMS"] == "2"
    data["tracks-1-position"] = data["tracks-0-position"]

    response = editor_client.post(change_url(album_with_tracks), data)

    assert_refused(response)
    assert any("position" in error.lower() for error in errors_shown(response))
    assert list(album_with_tracks.tracks.values_list("position", "title")) == [(1, "First"), (2, "Second")]


def test_duplicate_track_position_added_in_the_same_post(editor_client, album_with_tracks):
    data = album_change_data(editor_client, album_with_tracks)
    data["tracks-TOTAL_FORMS"] = "4"
    for i in (2, 3):
        data.update({f"tracks-{i}-disc": "1", f"tracks-{i}-position": "7", f"tracks-{i}-title": f"New {i}"})

    response = editor_client.post(change_url(album_with_tracks), data)

    assert_refused(response)
    assert album_with_tracks.tracks.count() == 2


def test_duplicate_track_position_full_clean():
    track = factories.TrackFactory(position=3)
    duplicate = models.Track(album=track.album, disc=1, position=3, title="Again")
    with pytest.raises(ValidationError):
        duplicate.full_clean()


def test_duplicate_track_position_in_the_database():
    track = factories.TrackFactory(position=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Track.objects.create(album=track.album, disc=1, position=3, title="Again")


@pytest.mark.parametrize("typed", ["-1:00", "0:00", "soon"])
def test_bad_track_length_in_the_admin(editor_client, album_with_tracks, typed):
    data = album_change_data(editor_client, album_with_tracks)
    data["tracks-0-length"] = typed

    response = editor_client.post(change_url(album_with_tracks), data)

    assert_refused(response)
    assert errors_shown(response)
    assert album_with_tracks.tracks.get(position=1).length == datetime.timedelta(minutes=3)


def test_negative_album_length_in_the_admin(editor_client, album_with_tracks):
    data = album_change_data(editor_client, album_with_tracks)
    data["length"] = "-1:00"
    response = editor_client.post(change_url(album_with_tracks), data)
    assert_refused(response)
    album_with_tracks.refresh_from_db()
    assert album_with_tracks.length == datetime.timedelta(minutes=7)


@pytest.mark.parametrize("seconds", [-5, 0])
def test_track_length_must_be_positive_full_clean(seconds):
    track = factories.TrackFactory.build(album=factories.AlbumFactory(), length=datetime.timedelta(seconds=seconds))
    with pytest.raises(ValidationError) as caught:
        track.full_clean()
    assert "length" in caught.value.message_dict


def test_negative_length_refused_by_the_database():
    album = factories.AlbumFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Track.objects.create(album=album, position=1, title="Backwards", length=datetime.timedelta(seconds=-5))
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Album.objects.filter(pk=album.pk).update(length=datetime.timedelta(seconds=-5))


# Covers ------------------------------------------------------------------------------------------


def truncated(data):
    return data[: len(data) // 2]


def stored_files():
    """Every file under MEDIA_ROOT (one folder per test process, so another test cannot add to it meanwhile)."""
    return sorted(path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file())


def post_album_with_cover(client, filename, content, alt="The sleeve: a woman at a hotel window."):
    data = form_data(client.get(add_url(models.Album)).content, form_id="album_form")
    data.update({
        "title": "Album With A Cover", "slug": "album-with-a-cover", "album_type": "soundtrack",
        "status": "published", "release_date": "2003", "cover_alt": alt, "_save": "Save",
        "cover": SimpleUploadedFile(filename, content, content_type="image/jpeg"),
    })
    return client.post(add_url(models.Album), data)


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("cover.jpg", b"This is a text file, not a picture of a sleeve.\n" * 20),
        ("cover.png", truncated(image_bytes("PNG"))),
        ("cover.jpg", truncated(image_bytes("JPEG"))),
        ("cover.gif", image_bytes("GIF")),
    ],
    ids=["text-named-jpg", "truncated-png", "truncated-jpeg", "gif"],
)
def test_bad_cover_is_refused(editor_client, filename, content):
    files_before = stored_files()

    response = post_album_with_cover(editor_client, filename, content)

    assert_refused(response)
    assert response.context["adminform"].form.errors["cover"]
    assert not models.Album.objects.filter(slug="album-with-a-cover").exists()
    assert stored_files() == files_before


def test_truncated_image_passes_the_header_check_but_not_the_validator():
    """The reason the validator decodes the whole file: Pillow reads a cut JPEG's header fine."""
    from catalog.validators import validate_image_file

    cut = SimpleUploadedFile("cut.jpg", truncated(image_bytes("JPEG")), content_type="image/jpeg")
    with Image.open(io.BytesIO(cut.read())) as image:
        assert image.format == "JPEG"
    with pytest.raises(ValidationError):
        validate_image_file(cut)


def test_cover_without_alt_text_is_refused(editor_client):
    files_before = stored_files()
    response = post_album_with_cover(editor_client, "cover.png", image_bytes("PNG"), alt="  ")
    assert_refused(response)
    assert stored_files() == files_before
    assert response.context["adminform"].form.errors["cover_alt"]
    assert not models.Album.objects.filter(slug="album-with-a-cover").exists()


def test_good_cover_is_stored(editor_client):
    """The control for the tests above: a complete PNG with a description is accepted."""
    response = post_album_with_cover(editor_client, "good-cover.png", image_bytes("PNG"))
    assert response.status_code == 302
    album = models.Album.objects.get(slug="album-with-a-cover")
    # Stored re-encoded under a generated name (tests/catalog/test_uploads.py has the details).
    assert album.cover.name.startswith("covers/") and "good-cover" not in album.cover.name
    assert (settings.MEDIA_ROOT / album.cover.name).exists()


def test_cover_without_alt_refused_by_the_database():
    album = factories.AlbumFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Album.objects.filter(pk=album.pk).update(cover="covers/x.png", cover_alt="")


# Visitors: unknown addresses, drafts and garbage page numbers -----------------------------------


@pytest.mark.parametrize("name", ["album-detail", "artist-detail", "label-detail", "genre-detail", "film-detail"])
def test_unknown_slug_is_404(client, name):
    response = client.get(reverse(f"catalog:{name}", kwargs={"slug": "no-such-thing"}))
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/albums/Ünïcode/", "/albums/a%20b/", "/artists/../", "/albums/x/y/"])
def test_malformed_addresses_are_404(client, path):
    assert client.get(path).status_code == 404


def test_draft_album_is_404_for_visitors(client):
    draft = factories.AlbumFactory(draft=True)
    assert client.get(draft.get_absolute_url()).status_code == 404


PAGINATED = ["album-list", "artist-list", "label-list", "genre-list", "film-list"]


@pytest.mark.parametrize("name", PAGINATED)
@pytest.mark.parametrize("page", ["abc", "99999", "-1", "0", "1.5", ""])
def test_garbage_page_numbers_show_a_page(client, name, page):
    factories.AlbumFactory(film=factories.FilmFactory(), genres=[factories.GenreFactory()])
    response = client.get(reverse(f"catalog:{name}"), {"page": page})
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["label-detail", "genre-detail", "film-detail", "artist-detail"])
@pytest.mark.parametrize("page", ["abc", "99999"])
def test_garbage_page_numbers_on_detail_pages(client, name, page):
    genre, film, artist = factories.GenreFactory(), factories.FilmFactory(), factories.ArtistFactory()
    album = factories.AlbumFactory(genres=[genre], film=film)
    factories.TrackArtistFactory(track=factories.TrackFactory(album=album), artist=artist)
    slug = {"label-detail": album.label.slug, "genre-detail": genre.slug, "film-detail": film.slug,
            "artist-detail": artist.slug}[name]
    response = client.get(reverse(f"catalog:{name}", kwargs={"slug": slug}), {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


def test_page_past_the_end_shows_the_last_page(client):
    factories.AlbumFactory.create_batch(settings.ALBUMS_PER_PAGE + 1)
    response = client.get(reverse("catalog:album-list"), {"page": "99999"})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2
    assert len(response.context["page_obj"].object_list) == 1


# Dates, ids and chart positions ------------------------------------------------------------------


@pytest.mark.parametrize("date", ["2003-13", "2003-02-30", "Sept 2003", "2003-00", "9/9/2003"])
def test_invalid_partial_date_full_clean(date):
    album = factories.AlbumFactory.build(label=None, release_date=date)
    with pytest.raises(ValidationError) as caught:
        album.full_clean()
    assert "release_date" in caught.value.message_dict


@pytest.mark.parametrize("date", ["2003-13", "2003-02-30", "Sept 2003"])
def test_invalid_partial_date_in_the_admin(editor_client, album_with_tracks, date):
    data = album_change_data(editor_client, album_with_tracks)
    data["release_date"] = date
    response = editor_client.post(change_url(album_with_tracks), data)
    assert_refused(response)
    assert response.context["adminform"].form.errors["release_date"]
    album_with_tracks.refresh_from_db()
    assert album_with_tracks.release_date == "2003-09-09"


def test_invalid_partial_date_refused_by_other_models():
    edition = factories.EditionFactory.build(album=factories.AlbumFactory(), label=None, release_date="2019-02-30")
    with pytest.raises(ValidationError, match="not a date that exists"):
        edition.full_clean()


@pytest.mark.parametrize("imdb_id", ["0335266", "tt123", "tt03352661234", "TT0335266", "https://www.imdb.com/title/tt0335266/"])
def test_invalid_imdb_id(imdb_id):
    film = factories.FilmFactory.build(imdb_id=imdb_id)
    with pytest.raises(ValidationError) as caught:
        film.full_clean()
    assert "imdb_id" in caught.value.message_dict


def test_valid_imdb_id():
    factories.FilmFactory.build(imdb_id="tt0335266").full_clean()


def test_invalid_imdb_id_in_the_admin(editor_client):
    data = form_data(editor_client.get(add_url(models.Film)).content, form_id="film_form")
    data.update({"title": "Lost in Translation", "slug": "lost-in-translation", "year": "2003", "imdb_id": "335266"})
    response = editor_client.post(add_url(models.Film), data)
    assert_refused(response)
    assert response.context["adminform"].form.errors["imdb_id"]
    assert not models.Film.objects.exists()


def test_chart_peak_of_zero_full_clean():
    entry = factories.ChartEntryFactory.build(album=factories.AlbumFactory(), chart=factories.ChartFactory(),
                                              peak_position=0)
    with pytest.raises(ValidationError) as caught:
        entry.full_clean()
    assert "peak_position" in caught.value.message_dict


def test_chart_peak_of_zero_in_the_admin(editor_client):
    album, chart = factories.AlbumFactory(), factories.ChartFactory()
    data = form_data(editor_client.get(add_url(models.ChartEntry)).content, form_id="chartentry_form")
    data.update({"album": str(album.pk), "chart": str(chart.pk), "date": "2003-10", "peak_position": "0"})
    response = editor_client.post(add_url(models.ChartEntry), data)
    assert_refused(response)
    assert response.context["adminform"].form.errors["peak_position"]
    assert not models.ChartEntry.objects.exists()


def test_chart_peak_of_zero_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        models.ChartEntry.objects.create(
            album=factories.AlbumFactory(), chart=factories.ChartFactory(), date="2003", peak_position=0
        )


def test_song_in_film_needs_a_track_or_a_title():
    song = models.SongInFilm(album=factories.AlbumFactory(), title=" ", position=1)
    with pytest.raises(ValidationError) as caught:
        song.full_clean()
    assert "title" in caught.value.message_dict


def test_a_sample_cannot_point_at_another_albums_track():
    sample = factories.SampleFactory.build(
        album=factories.AlbumFactory(), track=factories.TrackFactory(), performer=None
    )
    with pytest.raises(ValidationError) as caught:
        sample.full_clean()
    assert "track" in caught.value.message_dict


def test_an_artist_cannot_be_its_own_member():
    artist = factories.ArtistFactory(group=True)
    with pytest.raises(ValidationError):
        models.Membership(group=artist, member=artist).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Membership.objects.create(group=artist, member=artist)


# Reordering and deleting through the album's inlines -------------------------------------------


def test_swapping_two_track_positions_saves_the_new_order(editor_client, album_with_tracks):
    data = album_change_data(editor_client, album_with_tracks)
    data["tracks-0-position"], data["tracks-1-position"] = data["tracks-1-position"], data["tracks-0-position"]

    response = editor_client.post(change_url(album_with_tracks), data)

    assert response.status_code == 302
    assert list(album_with_tracks.tracks.values_list("title", "position")) == [("Second", 1), ("First", 2)]


def test_deleting_a_track_and_moving_the_next_into_its_place(editor_client, album_with_tracks):
    factories.TrackFactory(album=album_with_tracks, position=3, title="Third")
    data = album_change_data(editor_client, album_with_tracks)
    data["tracks-1-DELETE"] = "on"  # "Second" goes, "Third" takes position 2.
    data["tracks-2-position"] = "2"

    response = editor_client.post(change_url(album_with_tracks), data)

    assert response.status_code == 302
    assert list(album_with_tracks.tracks.values_list("title", "position")) == [("First", 1), ("Third", 2)]


def test_deleting_a_track_heard_in_the_film_is_refused_with_a_reason(editor_client, lost_in_translation):
    track = lost_in_translation.tracks.get(title="More Than This")

    response = editor_client.post(reverse("admin:catalog_track_delete", args=[track.pk]), {"post": "yes"})

    assert response.status_code == 200
    page = response.content.decode().lower()
    assert "cannot delete track" in page and "song in the film" in page
    assert lost_in_translation.tracks.filter(pk=track.pk).exists()
    assert editor_client.get(lost_in_translation.get_absolute_url()).status_code == 200


def test_deleting_a_track_heard_in_the_film_from_the_album_form_is_a_form_error(editor_client, lost_in_translation):
    data = album_change_data(editor_client, lost_in_translation)
    index = next(i for i in range(17) if data[f"tracks-{i}-title"] == "More Than This")
    data[f"tracks-{index}-DELETE"] = "on"

    response = editor_client.post(change_url(lost_in_translation), data)

    assert_refused(response)
    assert lost_in_translation.tracks.filter(title="More Than This").exists()


def test_deleting_the_whole_album_takes_its_songs_in_the_film_along(lost_in_translation):
    lost_in_translation.delete()
    assert not models.SongInFilm.objects.exists()
    assert not models.Track.objects.exists()


def test_an_end_date_in_the_same_year_as_the_begin_date_is_allowed():
    factories.ArtistFactory.build(begin_date="2003-05", end_date="2003").full_clean()


def test_an_end_date_before_the_begin_date_is_refused():
    with pytest.raises(ValidationError) as caught:
        factories.ArtistFactory.build(begin_date="2003-05", end_date="2002").full_clean()
    assert "end_date" in caught.value.message_dict
