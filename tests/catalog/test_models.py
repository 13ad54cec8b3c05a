"""The catalog's own vocabulary: partial dates, lengths, credits, personnel and natural keys."""

import datetime
import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import resolve, reverse

from catalog import urls as catalog_urls
from catalog.fields import LengthFormField, format_length, format_partial_date, parse_partial_date
from catalog.models import Album, Artist, Credit, Track
from tests.factories import (
    AlbumFactory,
    ArtistFactory,
    CreditFactory,
    FilmFactory,
    GenreFactory,
    LabelFactory,
    MembershipFactory,
    RoleFactory,
    TrackArtistFactory,
    TrackFactory,
)


def minutes(m, s=0, h=0):
    return datetime.timedelta(hours=h, minutes=m, seconds=s)


class TestPartialDate:
    @pytest.mark.parametrize(
        ("value", "parts"),
        [("2003-09-09", (2003, 9, 9)), ("2003-09", (2003, 9, None)), ("2003", (2003, None, None))],
    )
    def test_parse(self, value, parts):
        assert parse_partial_date(value) == parts

    @pytest.mark.parametrize(
        ("value", "shown"),
        [("2003-09-09", "9 September 2003"), ("2003-09", "September 2003"), ("2003", "2003"), ("", "")],
    )
    def test_format(self, value, shown):
        assert format_partial_date(value) == shown

    @pytest.mark.parametrize(
        "value", ["2003-13", "2003-02-30", "Sept 2003", "03-09-09", "2003-9-9", "2003-00", "2003-09-00"]
    )
    def test_parse_refuses(self, value):
        with pytest.raises(ValidationError):
            parse_partial_date(value)

    def test_leap_day_exists_only_in_leap_years(self):
        assert parse_partial_date("2004-02-29") == (2004, 2, 29)
        with pytest.raises(ValidationError):
            parse_partial_date("2003-02-29")

    @pytest.mark.django_db
    def test_text_sorts_chronologically_whatever_the_precision(self):
        for date in ["2003-10", "2003-09-30", "2003", "2002-12-31", "2003-09"]:
            AlbumFactory(title=f"Album of {date}", release_date=date)
        dates = list(Album.objects.order_by("release_date").values_list("release_date", flat=True))
        assert dates == ["2002-12-31", "2003", "2003-09", "2003-09-30", "2003-10"]

    @pytest.mark.django_db
    def test_release_year(self):
        assert AlbumFactory(release_date="2003-09").release_year == 2003
        assert AlbumFactory(release_date="").release_year is None


class TestLength:
    @pytest.mark.parametrize(
        ("value", "shown"),
        [(minutes(4, 5), "4:05"), (minutes(53, 48), "53:48"), (minutes(2, 3, h=1), "1:02:03"),
         (minutes(0, 7), "0:07"), (None, "")],
    )
    def test_format(self, value, shown):
        assert format_length(value) == shown

    @pytest.mark.parametrize(
        ("typed", "value"),
        [("4:05", minutes(4, 5)), ("53:48", minutes(53, 48)), ("1:02:03", minutes(2, 3, h=1)),
         (" 3:30 ", minutes(3, 30)), ("", None)],
    )
    def test_form_field_reads_sleeve_notation(self, typed, value):
        assert LengthFormField(required=False).clean(typed) == value

    @pytest.mark.parametrize("typed", ["-1:00", "four minutes", "4:05.5", "4m05s", "1:2:3:4"])
    def test_form_field_refuses(self, typed):
        with pytest.raises(ValidationError, match="m:ss"):
            LengthFormField(required=False).clean(typed)

    def test_form_field_shows_a_stored_length_as_the_sleeve_does(self):
        assert LengthFormField().prepare_value(minutes(53, 48)) == "53:48"


@pytest.mark.django_db
class TestTrackArtistCredit:
    def test_join_phrases(self):
        track = TrackFactory()
        TrackArtistFactory(track=track, artist=ArtistFactory(name="Brian Reitzell"), join_phrase=" & ", position=1)
        TrackArtistFactory(track=track, artist=ArtistFactory(name="Roger Joseph Manning Jr."), position=2)
        assert track.artist_credit == "Brian Reitzell & Roger Joseph Manning Jr."

    def test_sleeve_order_and_credited_as(self):
        track = TrackFactory()
        # Created out of order on purpose: the sleeve order is the position, not the insertion order.
        TrackArtistFactory(track=track, artist=ArtistFactory(name="Guest"), position=2)
        TrackArtistFactory(
            track=track, artist=ArtistFactory(name="The Main Act"), credited_as="Main Act",
            join_phrase=" feat. ", position=1,
        )
        assert track.artist_credit == "Main Act feat. Guest"

    def test_no_performer(self):
        assert TrackFactory().artist_credit == ""


@pytest.mark.django_db
class TestTracksByArtist:
    def test_includes_tracks_made_with_a_group(self):
        kevin = ArtistFactory(name="Kevin Shields")
        band = MembershipFactory(member=kevin, group=ArtistFactory(name="My Bloody Valentine", group=True)).group
        own = TrackArtistFactory(artist=kevin).track
        with_band = TrackArtistFactory(artist=band).track
        someone_elses = TrackArtistFactory().track

        tracks = set(Track.objects.by_artist(kevin))

        assert tracks == {own, with_band}
        assert someone_elses not in tracks

    def test_a_track_credited_to_person_and_group_is_listed_once(self):
        kevin = ArtistFactory()
        band = MembershipFactory(member=kevin).group
        track = TrackArtistFactory(artist=kevin).track
        TrackArtistFactory(track=track, artist=band, position=2)
        assert list(Track.objects.by_artist(kevin)) == [track]

    def test_a_group_does_not_inherit_its_members_tracks(self):
        kevin = ArtistFactory()
        band = MembershipFactory(member=kevin).group
        TrackArtistFactory(artist=kevin)
        assert list(Track.objects.by_artist(band)) == []

    def test_published_leaves_out_drafts(self):
        artist = ArtistFactory()
        visible = TrackArtistFactory(artist=artist).track
        TrackArtistFactory(artist=artist, track=TrackFactory(album=AlbumFactory(draft=True)))
        assert list(Track.objects.published().by_artist(artist)) == [visible]


@pytest.mark.django_db
class TestPersonnel:
    def test_groups_credits_by_person_in_credit_order(self):
        album = AlbumFactory()
        beggs, reitzell, mills = (ArtistFactory(name=name) for name in ("Beggs", "Reitzell", "Mills"))
        drums, engineering, design = (RoleFactory(name=name) for name in ("drums", "engineering", "sound design"))
        CreditFactory(album=album, artist=beggs, role=design, position=1)
        CreditFactory(album=album, artist=reitzell, role=drums, position=2)
        CreditFactory(album=album, artist=mills, role=engineering, position=3)
        CreditFactory(album=album, artist=reitzell, role=engineering, position=4)

        personnel = [(artist.name, [credit.role.name for credit in credits]) for artist, credits in album.personnel()]

        assert personnel == [
            ("Beggs", ["sound design"]),
            ("Reitzell", ["drums", "engineering"]),
            ("Mills", ["engineering"]),
        ]

    def test_infobox_credits_only_roles_with_an_infobox_label(self):
        album = AlbumFactory()
        supervisor = RoleFactory(name="music supervision", infobox_label="Music supervisor")
        reitzell = ArtistFactory(name="Brian Reitzell")
        CreditFactory(album=album, artist=reitzell, role=supervisor)
        CreditFactory(album=album, artist=reitzell, role=RoleFactory(name="drums"))
        assert album.infobox_credits() == [("Music supervisor", [reitzell])]

    def test_fixture_personnel(self, lost_in_translation):
        album = Album.objects.with_details().get(pk=lost_in_translation.pk)
        personnel = {artist.name: [c.role.name for c in credits] for artist, credits in album.personnel()}
        assert personnel["Brian Reitzell"] == [
            "music supervision", "executive production", "drums", "engineering", "production",
        ]
        assert personnel["Kevin Shields"] == ["production", "engineering"]
        assert list(personnel)[:3] == ["Richard Beggs", "Kevin Shields", "Brian Reitzell"]


@pytest.mark.django_db
class TestLengthSummary:
    def test_no_tracks(self):
        summary = AlbumFactory(length=minutes(10)).length_summary()
        assert (summary.complete, summary.agrees, summary.known_total, summary.track_count) == (False, None, None, 0)

    def test_complete_and_agrees(self):
        album = AlbumFactory(length=minutes(7, 35))
        TrackFactory(album=album, length=minutes(4, 5))
        TrackFactory(album=album, length=minutes(3, 30))
        summary = album.length_summary()
        assert summary.complete is True
        assert summary.known_total == minutes(7, 35)
        assert summary.agrees is True

    def test_complete_and_disagrees(self):
        album = AlbumFactory(length=minutes(53, 48))
        TrackFactory(album=album, length=minutes(53, 56))
        summary = album.length_summary()
        assert summary.complete is True
        assert summary.agrees is False

    def test_incomplete_counts_the_unknown_and_does_not_judge(self):
        album = AlbumFactory(length=minutes(10))
        TrackFactory(album=album, length=minutes(4))
        TrackFactory(album=album, length=None)
        summary = album.length_summary()
        assert summary.complete is False
        assert (summary.unknown, summary.track_count, summary.known_total) == (1, 2, minutes(4))
        assert summary.agrees is None

    def test_nothing_declared(self):
        album = AlbumFactory(length=None)
        TrackFactory(album=album, length=minutes(4))
        summary = album.length_summary()
        assert summary.complete is True
        assert summary.agrees is None

    def test_fixture_declares_53_48_and_no_track_length(self, lost_in_translation):
        summary = lost_in_translation.length_summary()
        assert summary.declared == minutes(53, 48)
        assert (summary.track_count, summary.unknown, summary.known_total) == (17, 17, None)
        assert summary.agrees is None


@pytest.mark.django_db
class TestStrAndUrls:
    def test_every_public_model_links_to_its_page(self):
        album = AlbumFactory(slug="an-album")
        track = TrackFactory(album=album, disc=1, position=3)
        objects = {
            album: "catalog:album-detail",
            ArtistFactory(slug="an-artist"): "catalog:artist-detail",
            LabelFactory(slug="a-label"): "catalog:label-detail",
            GenreFactory(slug="a-genre"): "catalog:genre-detail",
            FilmFactory(slug="a-film"): "catalog:film-detail",
        }
        for obj, name in objects.items():
            match = resolve(obj.get_absolute_url())
            assert f"{match.namespace}:{match.url_name}" == name
            assert match.kwargs == {"slug": obj.slug}
        assert track.get_absolute_url() == "/albums/an-album/#track-1-3"

    def test_every_catalog_model_has_a_readable_str(self, lost_in_translation):
        for model in apps.get_app_config("catalog").get_models():
            for obj in model.objects.all()[:5]:
                assert str(obj).strip(), f"{model.__name__} {obj.pk} has an empty str()"
                assert "object (" not in str(obj), f"{model.__name__} uses Django's default str()"

    def test_artist_sort_name_defaults_to_the_name(self):
        assert ArtistFactory(name="Air").sort_name == "Air"
        assert ArtistFactory(name="Kevin Shields", sort_name="Shields, Kevin").sort_name == "Shields, Kevin"


@pytest.mark.parametrize("pattern", catalog_urls.urlpatterns, ids=lambda p: p.name)
def test_reverse_and_resolve_agree(pattern):
    kwargs = dict.fromkeys(pattern.pattern.converters, "lost-in-translation")
    url = reverse(f"catalog:{pattern.name}", kwargs=kwargs)
    match = resolve(url)
    assert (match.namespace, match.url_name, match.kwargs) == ("catalog", pattern.name, kwargs)
    assert match.func.view_class is pattern.callback.view_class


@pytest.mark.django_db
def test_natural_keys_round_trip(lost_in_translation, tmp_path):
    """Dumped with natural keys and loaded into an empty catalog, the data comes back the same."""
    dump = tmp_path / "catalog.json"
    call_command(
        "dumpdata", "catalog", natural_foreign=True, natural_primary=True, indent=1, output=str(dump), verbosity=0
    )
    before = json.loads(dump.read_text())
    assert all("pk" not in obj for obj in before), "every catalog model should dump without its id"
    old_album_pk = lost_in_translation.pk

    Album.objects.all().delete()  # cascades to tracks, credits, samples, songs, editions and sources
    for model in reversed(list(apps.get_app_config("catalog").get_models())):
        model.objects.all().delete()
    assert not Artist.objects.exists() and not Credit.objects.exists()

    call_command("loaddata", str(dump), verbosity=0)
    redump = tmp_path / "again.json"
    call_command(
        "dumpdata", "catalog", natural_foreign=True, natural_primary=True, indent=1, output=str(redump),
        verbosity=0,
    )
    after = json.loads(redump.read_text())

    def canonical(objects):
        return sorted(json.dumps(obj, sort_keys=True, ensure_ascii=False) for obj in objects)

    assert canonical(after) == canonical(before)
    album = Album.objects.get_by_natural_key("lost-in-translation")
    assert album.pk != old_album_pk
    assert album.tracks.count() == 17
