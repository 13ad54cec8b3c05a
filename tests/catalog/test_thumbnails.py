"""Covers and artist images as sorl-thumbnail thumbnails: made once, offered in a srcset, and never a 500."""

from pathlib import Path

import factory
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from tests import factories
from tests.factories import image_bytes
from tests.pages import get_page, parse

pytestmark = pytest.mark.django_db

ALT = "A violet sleeve with the title in white letters."


def album_with_cover(side=700, **kwargs):
    return factories.AlbumFactory(with_cover=True, cover__width=side, cover__height=side, **kwargs)


def candidates(img):
    """The srcset as (file under MEDIA_ROOT, width descriptor) pairs."""
    pairs = []
    for candidate in img.attrs["srcset"].split(", "):
        url, width = candidate.split()
        assert url.startswith(settings.MEDIA_URL), url
        pairs.append((Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL), int(width.removesuffix("w"))))
    return pairs


def thumbnail_files():
    folder = Path(settings.MEDIA_ROOT) / settings.THUMBNAIL_PREFIX
    return {path: path.stat().st_mtime_ns for path in folder.rglob("*") if path.is_file()}


def test_album_page_offers_square_thumbnails_of_the_cover(client):
    album = album_with_cover(side=700)
    img = get_page(client, album.get_absolute_url()).find("img", class_="cover")

    assert img.attrs["alt"] == album.cover_alt
    # 900 would be an upscale of a 700-pixel source: the largest candidate is the source's own size.
    assert [width for _, width in candidates(img)] == [300, 600, 700]
    for path, width in candidates(img):
        with Image.open(path) as thumbnail:
            assert (thumbnail.format, thumbnail.size) == ("WEBP", (width, width))
    assert img.attrs["src"].startswith(f"{settings.MEDIA_URL}{settings.THUMBNAIL_PREFIX}")
    assert (img.attrs["width"], img.attrs["height"]) == ("600", "600")
    assert img.attrs["sizes"]
    # The page's main image loads at once; covers in lists wait until they are scrolled to.
    assert "loading" not in img.attrs
    assert img.attrs["fetchpriority"] == "high"


def test_album_cards_offer_lazy_thumbnails(client):
    album_with_cover(side=1000)
    img = get_page(client, reverse("catalog:album-list")).find("img", class_="cover")
    assert [width for _, width in candidates(img)] == [300, 600, 900]
    assert img.attrs["loading"] == "lazy"
    assert img.attrs["alt"] == ALT


def test_a_small_cover_is_not_upscaled(client):
    album = album_with_cover(side=32)
    img = get_page(client, album.get_absolute_url()).find("img", class_="cover")
    assert [width for _, width in candidates(img)] == [32]
    assert (img.attrs["width"], img.attrs["height"]) == ("32", "32")


def test_a_second_render_reuses_the_thumbnails(client):
    album = album_with_cover()
    first = get_page(client, album.get_absolute_url()).find("img", class_="cover")
    made = thumbnail_files()
    assert {path for path, _ in candidates(first)} <= set(made)

    second = get_page(client, album.get_absolute_url()).find("img", class_="cover")
    assert second.attrs["srcset"] == first.attrs["srcset"]
    assert thumbnail_files() == made  # no new file, none written again


def test_a_page_of_covers_costs_no_query_per_cover_once_made(client):
    """Thumbnails are made on a page's first render; after that the cache answers for every cover."""
    url = reverse("catalog:album-list")
    album_with_cover(side=64)
    client.get(url)
    with CaptureQueriesContext(connection) as one_cover:
        client.get(url)

    for _ in range(12):
        album_with_cover(side=64)
    client.get(url)  # makes the new thumbnails
    with CaptureQueriesContext(connection) as many_covers:
        root = parse(client.get(url).content)
    assert len(root.find_all("img", class_="cover")) == 13
    assert len(many_covers) <= len(one_cover)


def test_a_missing_cover_file_shows_the_stand_in(client):
    album = album_with_cover()
    album.cover.storage.delete(album.cover.name)
    for url in (album.get_absolute_url(), reverse("catalog:album-list")):
        root = get_page(client, url)
        assert root.find("img", class_="cover") is None
        assert root.find(class_="cover--placeholder") is not None


@pytest.mark.parametrize(
    "content",
    [image_bytes("PNG", (300, 300))[:20_000], b"This is a text file, not a picture of a sleeve.\n" * 20],
    ids=["truncated", "not-an-image"],
)
def test_a_corrupt_cover_file_shows_the_stand_in(client, content):
    album = album_with_cover(side=300)
    Path(album.cover.path).write_bytes(content)
    root = get_page(client, album.get_absolute_url())
    assert root.find("img", class_="cover") is None
    assert root.find(class_="cover--placeholder") is not None


def test_artist_page_offers_thumbnails_of_the_image(client):
    artist = factories.ArtistFactory(
        image=factory.django.ImageField(filename="portrait.jpg", width=800, height=600, format="JPEG"),
        image_alt="Kevin Shields on stage, lit in red.",
    )
    img = get_page(client, artist.get_absolute_url()).find("img", class_="portrait")
    assert img.attrs["alt"] == artist.image_alt
    assert img.attrs["loading"] == "lazy"
    # Cropped square to the 600-pixel shorter side.
    assert [width for _, width in candidates(img)] == [300, 600]
    assert all(path.exists() for path, _ in candidates(img))


def test_a_missing_artist_image_is_left_out(client):
    artist = factories.ArtistFactory(
        image=factory.django.ImageField(filename="portrait.jpg", format="JPEG"), image_alt="A portrait."
    )
    artist.image.storage.delete(artist.image.name)
    root = get_page(client, artist.get_absolute_url())
    assert root.find("img", class_="portrait") is None
