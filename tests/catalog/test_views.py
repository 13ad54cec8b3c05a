"""Public pages as a visitor sees them: what is listed, in which order, and what is never shown."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from catalog.models import ArtistKind, FilmRole
from tests import factories
from tests.pages import get_page, linked, parse

pytestmark = pytest.mark.django_db

LIST_PAGES = ["home", "album-list", "artist-list", "label-list", "genre-list", "film-list"]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_empty_site_pages_open(client, name):
    root = get_page(client, reverse(f"catalog:{name}"))
    assert root.find("h1") is not None


def test_home_shows_featured_and_latest(client):
    featured = factories.AlbumFactory(title="The Featured One", featured=True)
    latest = factories.AlbumFactory(title="Just Published")
    root = get_page(client, reverse("catalog:home"))
    featured_section = root.find(id="featured-heading").parent
    assert linked(featured_section, featured)
    assert not linked(featured_section, latest)
    assert linked(root, latest)


def test_album_list_paginates(client):
    albums = [factories.AlbumFactory(title=f"Album {n:02d}") for n in range(settings.ALBUMS_PER_PAGE + 3)]
    first = get_page(client, reverse("catalog:album-list"))
    second = get_page(client, reverse("catalog:album-list"), page=2)
    assert all(linked(first, album) for album in albums[: settings.ALBUMS_PER_PAGE])
    assert not linked(first, albums[-1])
    assert all(linked(second, album) for album in albums[settings.ALBUMS_PER_PAGE:])
    assert second.find("a", rel="prev") is not None


def test_artist_list_sorts_by_sort_name(client):
    names = [("Squarepusher", ""), ("Kevin Shields", "Shields, Kevin"), ("Air", ""),
             ("The Jesus and Mary Chain", "Jesus and Mary Chain, The")]
    for name, sort_name in names:
        factories.ArtistFactory(name=name, sort_name=sort_name)
    html = parse(client.get(reverse("catalog:artist-list")).content)
    shown = [a.text for a in html.find("main").find_all("a") if a.attrs["href"].startswith("/artists/") and a.text]
    assert shown == ["Air", "The Jesus and Mary Chain", "Kevin Shields", "Squarepusher"]


def test_album_page_with_a_cover_shows_it_with_its_description(client):
    album = factories.AlbumFactory(with_cover=True)
    root = get_page(client, album.get_absolute_url())
    image = root.find("img", class_="cover")
    assert image is not None  # a thumbnail of it: see test_thumbnails.py
    assert image.attrs["alt"] == album.cover_alt


def test_album_page_total_length_when_every_track_is_known(client):
    album = factories.AlbumFactory(length=datetime.timedelta(minutes=7, seconds=35))
    factories.TrackFactory(album=album, position=1, length=datetime.timedelta(minutes=4, seconds=5))
    factories.TrackFactory(album=album, position=2, length=datetime.timedelta(minutes=3, seconds=30))
    table = get_page(client, album.get_absolute_url()).find(id="tracks")
    assert "4:05" in table.text and "3:30" in table.text
    assert "Total: 7:35" in table.find("tfoot").text


def test_album_page_numbers_tracks_per_disc(client):
    album = factories.AlbumFactory()
    for disc in (1, 2):
        for position in (1, 2):
            factories.TrackFactory(album=album, disc=disc, position=position, title=f"D{disc}T{position}")
    root = get_page(client, album.get_absolute_url())
    numbers = {
        row.find(class_="track-title").text: row.find("td").text
        for row in root.find(id="tracks").find_all("tr") if row.find(class_="track-title")
    }
    assert numbers == {"D1T1": "1", "D1T2": "2", "D2T1": "1", "D2T2": "2"}
    assert "Disc 2" in root.find(id="tracks").text


def test_album_page_without_optional_parts(client):
    """A bare album (no label, film, tracks or credits) still renders: the site copes with gaps."""
    album = factories.AlbumFactory(label=None, release_date="", catalogue_number="")
    root = get_page(client, album.get_absolute_url())
    assert root.find("h1").text == album.title
    assert root.find(id="personnel") is None


def test_artist_page_lists_tracks_credits_and_films(client):
    kevin = factories.ArtistFactory(name="Kevin Shields")
    band = factories.MembershipFactory(member=kevin, group=factories.ArtistFactory(name="My Bloody Valentine",
                                                                                   group=True)).group
    album = factories.AlbumFactory(title="Lost in Translation OST")
    own = factories.TrackArtistFactory(artist=kevin, track=factories.TrackFactory(album=album, title="City Girl"))
    with_band = factories.TrackArtistFactory(artist=band, track=factories.TrackFactory(album=album, title="Sometimes"))
    factories.CreditFactory(album=album, artist=kevin, role=factories.RoleFactory(name="production"))
    factories.FilmCreditFactory(artist=kevin, role=FilmRole.COMPOSER, film=factories.FilmFactory(title="The Film"))

    root = get_page(client, kevin.get_absolute_url())
    text = root.text
    tracks = {a.text for a in root.find(id="tracks").find_all("a", class_="track-title")}
    assert tracks == {own.track.title, with_band.track.title}
    assert "My Bloody Valentine" in text
    assert "production" in text
    assert "The Film" in text and "Music" in text


def test_group_page_lists_its_members(client):
    membership = factories.MembershipFactory(group=factories.ArtistFactory(name="Air", kind=ArtistKind.GROUP),
                                             member=factories.ArtistFactory(name="Nicolas Godin"))
    root = get_page(client, membership.group.get_absolute_url())
    assert linked(root, membership.member)


def test_label_and_genre_pages_count_published_albums_only(client):
    label, genre = factories.LabelFactory(name="Emperor Norton Records"), factories.GenreFactory(name="Shoegaze")
    factories.AlbumFactory(label=label, genres=[genre])
    factories.AlbumFactory(label=label, genres=[genre], draft=True)
    for name in ("label-list", "genre-list"):
        text = get_page(client, reverse(f"catalog:{name}")).text
        assert "1 album" in text and "2 albums" not in text, name


def test_film_page_lists_albums_credits_and_songs(client):
    film = factories.FilmFactory(title="Lost in Translation", imdb_id="tt0335266")
    factories.FilmCreditFactory(film=film, artist=factories.ArtistFactory(name="Sofia Coppola"))
    album = factories.AlbumFactory(film=film)
    track = factories.TrackFactory(album=album, title="Just Like Honey")
    factories.SongInFilmFactory(album=album, track=track, title="", scene="closing scene")
    factories.SongInFilmFactory(album=album, title="Brass in Pocket")
    root = get_page(client, film.get_absolute_url())
    assert linked(root, album)
    for words in ("Sofia Coppola", "Just Like Honey", "closing scene", "Brass in Pocket"):
        assert words in root.text
    assert root.find("a", href="https://www.imdb.com/title/tt0335266/") is not None


def test_drafts_never_appear_on_public_pages(client):
    artist, genre, film = factories.ArtistFactory(), factories.GenreFactory(), factories.FilmFactory()
    label = factories.LabelFactory()
    published = factories.AlbumFactory(title="Published Album", label=label, genres=[genre], film=film)
    draft = factories.AlbumFactory(title="Secret Draft Album", label=label, genres=[genre], film=film,
                                   featured=True, draft=True)
    for album in (published, draft):
        track = factories.TrackFactory(album=album, title=f"Song from {album.title}")
        factories.TrackArtistFactory(track=track, artist=artist)
        factories.CreditFactory(album=album, artist=artist)
        factories.SongInFilmFactory(album=album, track=track, title="")

    urls = [reverse(f"catalog:{name}") for name in LIST_PAGES] + [
        obj.get_absolute_url() for obj in (artist, label, genre, film, published)
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Secret Draft Album" not in html, url
        assert draft.get_absolute_url() not in html, url
    assert "Song from Published Album" in client.get(artist.get_absolute_url()).content.decode()


def test_navigation_marks_the_current_section(client):
    root = get_page(client, reverse("catalog:album-list"))
    current = root.find("nav").find("a", aria_current="page")
    assert current is not None and current.attrs["href"] == reverse("catalog:album-list")


def test_security_headers(client):
    response = client.get(reverse("catalog:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize(
    ("name", "factory"),
    [("label-list", factories.LabelFactory), ("genre-list", factories.GenreFactory)],
)
def test_index_pages_sort_by_name(client, name, factory):
    for word in ("Zeta", "Alpha", "Mid"):  # created out of order on purpose
        factories.AlbumFactory(
            **({"label": factory(name=word)} if name == "label-list" else {"genres": [factory(name=word)]})
        )
    main = get_page(client, reverse(f"catalog:{name}")).find("main")
    shown = [a.text for a in main.find_all("a") if a.text in ("Zeta", "Alpha", "Mid")]
    assert shown == ["Alpha", "Mid", "Zeta"]


def test_film_list_sorts_by_title(client):
    for title in ("Somewhere", "Lost in Translation", "Marie Antoinette"):
        factories.FilmFactory(title=title)
    main = get_page(client, reverse("catalog:film-list")).find("main")
    shown = [a.text for a in main.find_all("a") if a.attrs.get("href", "").startswith("/films/") and a.text]
    assert [title for title in shown if title in ("Somewhere", "Lost in Translation", "Marie Antoinette")] == [
        "Lost in Translation", "Marie Antoinette", "Somewhere",
    ]
