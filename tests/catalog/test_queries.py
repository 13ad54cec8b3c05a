"""Every public page costs the same number of queries with little data and with a lot.

Each test measures a page on small data (with at least one of everything the page shows, so every
prefetch runs), then grows the data and asserts the page costs no more queries than before.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import FilmRole, WriterRole
from tests import factories
from tests.pages import parse

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    client.get(url)  # warm up: anything read once per process is not the page's cost
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def get_within(client, url, budget, django_assert_max_num_queries):
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    return parse(response.content)


def rich_album(*, tracks, performers=1, credits, credit_tracks=1, samples, songs, editions, edition_tracks,
               charts, sources, genres, film_credits, **kwargs):
    """An album with `tracks` tracks, `credits` personnel credits, `samples` samples and so on."""
    film = factories.FilmFactory()
    for _ in range(film_credits):
        factories.FilmCreditFactory(film=film)
    album = factories.AlbumFactory(film=film, genres=factories.GenreFactory.create_batch(genres), **kwargs)
    track_list = []
    for position in range(1, tracks + 1):
        track = factories.TrackFactory(album=album, position=position)
        for place in range(performers):
            factories.TrackArtistFactory(track=track, position=place + 1, join_phrase=" & ")
        factories.TrackWriterFactory(track=track, role=WriterRole.COMPOSER)
        track_list.append(track)
    for n in range(credits):
        factories.CreditFactory(album=album, tracks=track_list[n % tracks: n % tracks + credit_tracks])
    for n in range(samples):
        factories.SampleFactory(
            album=album, track=track_list[n % tracks],
            composers=factories.ArtistFactory.create_batch(2), lyricists=[factories.ArtistFactory()],
        )
    for n in range(songs):
        on_album = n % 2 == 0
        factories.SongInFilmFactory(album=album, track=track_list[n % tracks] if on_album else None,
                                    title="" if on_album else f"Film-only song {n}")
    for _ in range(editions):
        edition = factories.EditionFactory(album=album, format="lp")
        for position, track in enumerate(track_list[:edition_tracks], start=1):
            factories.EditionTrackFactory(edition=edition, track=track, side="A", position=position)
    for _ in range(charts):
        factories.ChartEntryFactory(album=album)
    factories.SourceFactory.create_batch(sources, album=album)
    return album


def test_album_page(client, django_assert_max_num_queries):
    small = rich_album(tracks=2, credits=1, samples=1, songs=2, editions=1, edition_tracks=1, charts=1, sources=1,
                       genres=1, film_credits=1)
    budget = count_queries(client, small.get_absolute_url())

    large = rich_album(tracks=60, performers=2, credits=40, credit_tracks=3, samples=10, songs=12, editions=3,
                       edition_tracks=20, charts=5, sources=10, genres=3, film_credits=8)
    root = get_within(client, large.get_absolute_url(), budget, django_assert_max_num_queries)

    assert len(root.find(id="tracks").find_all(class_="track-title")) == 60
    assert len(root.find(id="personnel").find_all("li")) == 40
    assert len(root.find(id="samples").find_all("li")) == 10


# The album page's queries, whatever the album holds, once it holds one of everything: the album (with its label,
# film and current aggregate joined), 15 prefetches of its parts (catalog/models/albums.py, with_details) and the
# reviews app's 4 (reviews/reception.py). Rendering adds none.
ALBUM_PAGE_QUERIES = 20


def test_album_page_costs_the_same_queries_on_small_and_large_data(client, django_assert_num_queries, reception):
    from tests.reviews.test_queries import album_with_reception

    small = album_with_reception(
        rich_album(tracks=2, credits=1, samples=1, songs=2, editions=1, edition_tracks=1, charts=1, sources=1,
                   genres=1, film_credits=1),
        reviews=1, placements=1, remarks=1, outside=1,
    )
    large = album_with_reception(
        rich_album(tracks=60, performers=2, credits=40, credit_tracks=3, samples=10, songs=12, editions=3,
                   edition_tracks=20, charts=5, sources=10, genres=3, film_credits=8),
        reviews=50, placements=10, remarks=5, outside=2,
    )
    for album in (small, large, reception):
        client.get(album.get_absolute_url())  # warm up: anything read once per process is not the page's cost
        with django_assert_num_queries(ALBUM_PAGE_QUERIES):
            assert client.get(album.get_absolute_url()).status_code == 200


def test_home(client, django_assert_max_num_queries):
    factories.AlbumFactory(featured=True, film=factories.FilmFactory(), genres=[factories.GenreFactory()])
    factories.AlbumFactory(film=factories.FilmFactory(), genres=[factories.GenreFactory()])
    url = reverse("catalog:home")
    budget = count_queries(client, url)

    for n in range(14):
        factories.AlbumFactory(featured=n % 3 == 0, film=factories.FilmFactory(),
                               genres=factories.GenreFactory.create_batch(2))
    root = get_within(client, url, budget, django_assert_max_num_queries)
    assert len(root.find_all("article", class_="card")) == 3 + 8  # featured, then the latest


@pytest.mark.parametrize(
    ("name", "make_one", "page_size"),
    [
        ("album-list", lambda: factories.AlbumFactory(film=factories.FilmFactory(),
                                                      genres=[factories.GenreFactory()]), 24),
        ("artist-list", lambda: factories.ArtistFactory(disambiguation="band", group=True), 60),
        ("label-list", lambda: factories.AlbumFactory().label, 60),
        ("genre-list", lambda: factories.AlbumFactory(genres=[factories.GenreFactory()]).genres.get(), 60),
        ("film-list", lambda: factories.AlbumFactory(film=factories.FilmFactory()).film, 60),
    ],
)
def test_list_pages(client, django_assert_max_num_queries, name, make_one, page_size):
    url = reverse(f"catalog:{name}")
    shown = [make_one()]
    budget = count_queries(client, url)

    shown += [make_one() for _ in range(page_size + 5)]
    root = get_within(client, url, budget, django_assert_max_num_queries)
    assert sum(linked(root, obj) for obj in shown) == page_size


def linked(root, obj):
    return root.find("a", href=obj.get_absolute_url()) is not None


def test_artist_page(client, django_assert_max_num_queries):
    artist = factories.ArtistFactory(name="Kevin Shields")

    def add_work(own_tracks, group_tracks, albums_with_credits, films, groups):
        for _ in range(groups):
            factories.MembershipFactory(member=artist)
        group_list = [membership.group for membership in artist.group_memberships.all()]
        album = factories.AlbumFactory()
        for _ in range(own_tracks):
            track = factories.TrackFactory(album=album)
            factories.TrackArtistFactory(track=track, artist=artist, join_phrase=" & ")
            factories.TrackArtistFactory(track=track, position=2)
        for n in range(group_tracks):
            group = group_list[n % len(group_list)]
            factories.TrackArtistFactory(track=factories.TrackFactory(album=album), artist=group)
        for _ in range(albums_with_credits):
            credited = factories.AlbumFactory()
            factories.CreditFactory(album=credited, artist=artist, role=factories.RoleFactory(name="production"))
            factories.CreditFactory(album=credited, artist=artist, role=factories.RoleFactory(name="engineering"))
        for _ in range(films):
            factories.FilmCreditFactory(artist=artist, role=FilmRole.COMPOSER)

    add_work(own_tracks=1, group_tracks=1, albums_with_credits=1, films=1, groups=1)
    budget = count_queries(client, artist.get_absolute_url())

    add_work(own_tracks=40, group_tracks=30, albums_with_credits=15, films=6, groups=2)
    root = get_within(client, artist.get_absolute_url(), budget, django_assert_max_num_queries)
    assert len(root.find(id="tracks").find_all(class_="track-title")) == 50  # a full page of tracks


@pytest.mark.parametrize("kind", ["label", "genre"])
def test_label_and_genre_pages(client, django_assert_max_num_queries, kind):
    label, genre = factories.LabelFactory(), factories.GenreFactory()

    def add_albums(count):
        return [
            factories.AlbumFactory(label=label, genres=[genre, factories.GenreFactory()], film=factories.FilmFactory())
            for _ in range(count)
        ]

    page_of = label if kind == "label" else genre
    add_albums(1)
    budget = count_queries(client, page_of.get_absolute_url())

    albums = add_albums(30)
    root = get_within(client, page_of.get_absolute_url(), budget, django_assert_max_num_queries)
    assert sum(linked(root, album) for album in albums) >= 20


def test_film_page(client, django_assert_max_num_queries):
    film = factories.FilmFactory()

    def add(albums, songs_on, songs_off, credits):
        for _ in range(credits):
            factories.FilmCreditFactory(film=film, role=FilmRole.CAST, character="Someone")
        for _ in range(albums):
            album = factories.AlbumFactory(film=film, genres=[factories.GenreFactory()])
            for _ in range(songs_on):
                track = factories.TrackFactory(album=album)
                factories.TrackArtistFactory(track=track, join_phrase=" & ")
                factories.TrackArtistFactory(track=track, position=2)
                factories.SongInFilmFactory(album=album, track=track, title="")
            factories.SongInFilmFactory.create_batch(songs_off, album=album)

    add(albums=1, songs_on=1, songs_off=1, credits=1)
    budget = count_queries(client, film.get_absolute_url())

    add(albums=3, songs_on=8, songs_off=4, credits=10)
    root = get_within(client, film.get_absolute_url(), budget, django_assert_max_num_queries)
    assert len(root.find_all("li", class_="song")) == 1 + 1 + 3 * (8 + 4)
