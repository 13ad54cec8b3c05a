"""The data-quality report in the admin: exactly the real problems, each linked to the page that fixes it."""

import datetime
import json
import unicodedata
from collections import defaultdict

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from catalog.models import Album, Artist, Track
from reviews.models import BestOfList, Review
from tests import factories
from tests.conftest import FIXTURE, RECEPTION_FIXTURE
from tests.pages import parse

pytestmark = pytest.mark.django_db

REPORT = reverse("data-quality")
SECTIONS = ["album-lengths", "track-lengths", "duplicate-artists", "albums-cover-sources", "reviews", "list-ranks"]


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def listed(response):
    """{section: {(item, detail, link)}} as the page shows them."""
    root = parse(response.content)
    found = {}
    for slug in SECTIONS:
        rows = root.find("div", id=slug).find_all("tr", class_="problem")
        found[slug] = {(row.find("th").text, row.find_all("td")[1].text, row.find("a").attrs["href"]) for row in rows}
    return found


def links(response):
    return {slug: {link for _item, _detail, link in rows} for slug, rows in listed(response).items()}


def fixture_objects(*paths):
    objects = defaultdict(list)
    for path in paths:
        for obj in json.loads(path.read_text()):
            objects[obj["model"]].append(obj["fields"])
    return objects


def folded(name):
    """The test's own folding: no accents, any case, no leading "The"."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).lower().strip()
    return bare.removeprefix("the ")


def test_on_the_fixtures_the_report_lists_exactly_the_real_problems(editor_client, reception):
    """Each section's expected rows are worked out here from the fixture files, not from the code's queries."""
    data = fixture_objects(FIXTURE, RECEPTION_FIXTURE)
    albums = {fields["slug"]: fields for fields in data["catalog.album"]}
    tracks = data["catalog.track"]
    unknown = [track for track in tracks if track["length"] is None]
    incomplete = {track["album"][0] for track in unknown}
    sourced = {source["album"][0] for source in data["catalog.source"]}
    names = defaultdict(list)
    for artist in data["catalog.artist"]:
        names[folded(artist["name"])].append(artist["slug"])
    reviews = [r for r in data["reviews.review"] if r["scale"] == "none" or not r["quote"]]
    ranks = defaultdict(list)
    ranked = {lst["slug"] for lst in data["reviews.bestoflist"] if lst["is_ranked"]}
    for entry in data["reviews.listentry"]:
        if entry["best_of_list"][0] in ranked:
            ranks[entry["best_of_list"][0]].append(entry["rank"])
    gaps = {slug for slug, held in ranks.items() if max(held) - min(held) + 1 > len(held)}

    response = editor_client.get(REPORT)

    assert response.status_code == 200
    assert links(response) == {
        "album-lengths": {change_url(Album.objects.get(slug=slug)) for slug in incomplete},
        "track-lengths": {
            change_url(Track.objects.get_by_natural_key(t["album"][0], t["disc"], t["position"])) for t in unknown
        },
        "duplicate-artists": {
            change_url(Artist.objects.get(slug=slug)) for group in names.values() if len(group) > 1 for slug in group
        },
        "albums-cover-sources": {
            change_url(Album.objects.get(slug=slug)) for slug, album in albums.items()
            if album["status"] == "published" and (not album["cover"] or slug not in sourced)
        },
        "reviews": {change_url(Review.objects.get_by_natural_key(r["album"][0], r["publication"][0])) for r in reviews},
        "list-ranks": {change_url(BestOfList.objects.get(slug=slug)) for slug in gaps},
    }
    # The Lost in Translation album's unknown lengths, track by track, by name.
    assert {item for item, _detail, _link in listed(response)["track-lengths"]} == {t["title"] for t in unknown}
    assert len(unknown) == 17 and incomplete == {"lost-in-translation"}
    for rows in links(response).values():
        for link in rows:
            assert editor_client.get(link).status_code == 200, link


def test_album_lengths_are_judged_as_the_album_page_judges_them(editor_client):
    minute = datetime.timedelta(minutes=1)
    agrees = factories.AlbumFactory(title="Agrees", length=7 * minute)
    differs = factories.AlbumFactory(title="Differs", length=7 * minute)
    undeclared = factories.AlbumFactory(title="Undeclared", length=None)
    partial = factories.AlbumFactory(title="Partial", length=7 * minute)
    for album in (agrees, differs, undeclared, partial):
        factories.TrackFactory(album=album, position=1, length=3 * minute)
        factories.TrackFactory(album=album, position=2, length=4 * minute if album is not differs else minute)
    factories.TrackFactory(album=partial, position=3, title="Unknown", length=None)

    rows = listed(editor_client.get(REPORT))

    assert {(item, detail) for item, detail, _link in rows["album-lengths"]} == {
        ("Differs", "The tracks add up to 4:00; the declared length is 7:00."),
        ("Partial", "1 of 3 tracks have no length."),
    }
    assert {item for item, _detail, _link in rows["track-lengths"]} == {"Unknown"}


def test_duplicate_artists_fold_accents_case_and_the_but_not_a_disambiguation(editor_client):
    jamc = [factories.ArtistFactory(name=name, slug=f"jamc-{n}") for n, name in enumerate(
        ("The Jesus and Mary Chain", "jesus and  mary chain", "Jésus and Mary Chain"))]
    factories.ArtistFactory(name="John Williams", slug="john-williams-composer", disambiguation="film composer")
    factories.ArtistFactory(name="John Williams", slug="john-williams-guitarist", disambiguation="guitarist")
    twins = [factories.ArtistFactory(name="Air", slug=slug) for slug in ("air", "air-2")]
    factories.ArtistFactory(name="Theatre")  # "The" only as a word of its own.
    factories.ArtistFactory(name="Atre")

    assert links(editor_client.get(REPORT))["duplicate-artists"] == {change_url(artist) for artist in jamc + twins}


def test_published_albums_without_a_cover_or_sources_and_never_drafts(editor_client):
    complete = factories.AlbumFactory(title="Complete", with_cover=True)
    factories.SourceFactory(album=complete)
    uncovered = factories.AlbumFactory(title="Uncovered")
    factories.SourceFactory(album=uncovered)
    unsourced = factories.AlbumFactory(title="Unsourced", with_cover=True)
    factories.AlbumFactory(title="Draft", draft=True)

    rows = listed(editor_client.get(REPORT))["albums-cover-sources"]

    assert {(item, detail) for item, detail, _link in rows} == {
        ("Uncovered", "No cover."), ("Unsourced", "No sources."),
    }
    assert {link for _item, _detail, link in rows} == {change_url(uncovered), change_url(unsourced)}


def test_reviews_without_a_rating_or_a_quote(editor_client):
    factories.ReviewFactory()
    unrated = factories.ReviewFactory(unscored=True)
    unquoted = factories.ReviewFactory(quote="", draft=True)
    bare = factories.ReviewFactory(unscored=True, quote="")

    rows = listed(editor_client.get(REPORT))["reviews"]

    assert {(link, detail) for _item, detail, link in rows} == {
        (change_url(unrated), "No rating."),
        (change_url(unquoted), "No pull quote."),
        (change_url(bare), "No rating and no pull quote."),
    }


def test_ranked_lists_with_gaps_between_their_entries(editor_client):
    gappy = factories.BestOfListFactory(title="Gappy", size=10)
    for rank in (1, 2, 4, 7):
        factories.ListEntryFactory(best_of_list=gappy, rank=rank)
    later = factories.BestOfListFactory(title="Starts later", size=50)  # 20 and 21: other places aren't ours.
    for rank in (20, 21):
        factories.ListEntryFactory(best_of_list=later, rank=rank)
    unranked = factories.BestOfListFactory(title="Unranked", unranked=True)
    factories.ListEntryFactory.create_batch(3, best_of_list=unranked)

    rows = listed(editor_client.get(REPORT))["list-ranks"]

    assert {(link, detail) for _item, detail, link in rows} == {(change_url(gappy), "No entry at rank 3, 5–6.")}


def test_the_report_costs_the_same_queries_however_much_is_wrong(editor_client, django_assert_max_num_queries):
    def add_problems(count):
        for _ in range(count):
            album = factories.AlbumFactory()
            factories.TrackFactory.create_batch(2, album=album, length=None)
            factories.ReviewFactory(album=album, unscored=True)
            factories.ArtistFactory(name="Twin", slug=f"twin-{Artist.objects.count()}")
            gappy = factories.BestOfListFactory()
            factories.ListEntryFactory(best_of_list=gappy, rank=1)
            factories.ListEntryFactory(best_of_list=gappy, rank=3)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    add_problems(1)
    editor_client.get(REPORT)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(REPORT)
    add_problems(15)
    with django_assert_max_num_queries(len(few)):
        response = editor_client.get(REPORT)
    assert len(listed(response)["list-ranks"]) == 16
    assert len(few) <= 10


def grant(user, *codenames):
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))


VIEW_PERMISSIONS = ("view_album", "view_track", "view_artist", "view_review", "view_bestoflist")


def test_only_staff_who_may_view_the_catalog_and_reviews_see_the_report(client, django_user_model):
    assert client.get(REPORT).status_code == 302  # To the admin's login page.
    user = django_user_model.objects.create_user(username="staff", is_staff=True)
    client.force_login(user)
    grant(user, *VIEW_PERMISSIONS[:-1])

    assert client.get(REPORT).status_code == 403
    assert parse(client.get(reverse("admin:index")).content).find("a", href=REPORT) is None

    grant(user, *VIEW_PERMISSIONS)
    assert client.get(REPORT).status_code == 200
    assert parse(client.get(reverse("admin:index")).content).find("a", href=REPORT) is not None
