"""Uploads: only complete JPEG, PNG and WebP images within the caps are taken, re-encoded and stored under
generated names; anything else is the cover field's error, and no stored file can break a page."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from django.templatetags.static import static
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import ExifTags, Image
from sorl.thumbnail.images import DummyImageFile

from catalog import models
from catalog.images import clean_image
from tests import factories
from tests.factories import image_bytes
from tests.pages import form_data, get_page, parse

pytestmark = pytest.mark.django_db

ALT = "The sleeve: a woman at a hotel window."
GENERATED = r"[0-9a-f]{32}"


# Files an editor, or an attacker with an editor's account, might upload ----------------------------


def encoded(image, image_format, **options):
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def png_declaring(width, height):
    """A PNG of a few hundred bytes whose header declares width × height pixels: a decompression bomb."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(4096)))
            + chunk(b"IEND", b""))


def camera_jpeg():
    """A 40×20 JPEG as a phone makes it, plus a script appended after its end (a polyglot): EXIF with GPS,
    the camera and an orientation saying "turn me 90°", and a comment with an address."""
    image = Image.new("RGB", (40, 20), "navy")
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PocketCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (35.0, 39.0, 29.0)
    data = encoded(image, "JPEG", exif=exif, comment=b"Shot at 12 Rue des Lilas")
    with Image.open(io.BytesIO(data)) as check:  # the metadata really is in the upload
        assert check.getexif()[ExifTags.Base.Make] == "PocketCam"
        assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return data + b"<script>alert('polyglot')</script>"


def animated_png():
    frames = [Image.new("RGB", (16, 16), colour) for colour in ("red", "blue")]
    return encoded(frames[0], "PNG", save_all=True, append_images=frames[1:])


TEXT = b"This is a text file, not a picture of a sleeve.\n" * 20
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

REFUSED = {
    # name: (file name, content, what the error says)
    "text-named-jpg": ("cover.jpg", TEXT, "it is a text file"),
    "svg": ("cover.svg", SVG, "ends in “.svg”"),
    "svg-named-png": ("cover.png", SVG, "it is an SVG, HTML or XML document"),
    "png-header-then-html": ("cover.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>", "damaged"),
    "truncated-jpeg": ("cover.jpg", image_bytes("JPEG", (300, 300))[:4000], "damaged"),
    "truncated-png": ("cover.png", image_bytes("PNG", (300, 300))[:20_000], "damaged"),
    "over-the-pixel-cap": ("cover.png", encoded(Image.new("1", (8000, 6000)), "PNG"), "8000×6000 pixels"),
    "bomb-declaring-10-gigapixels": ("cover.png", png_declaring(100_000, 100_000), "decompression bomb"),
    # 144 megapixels of one colour: 20 KB on disk, 430 MB decoded (Pillow only warns below 179).
    "bomb-compressed-144-megapixels": ("cover.png", encoded(Image.new("1", (12_000, 12_000)), "PNG"),
                                       "decompression bomb"),
    "png-named-jpg": ("cover.jpg", image_bytes("PNG"), "is a PNG image, but its name ends in “.jpg”"),
    "jpeg-named-webp": ("cover.webp", image_bytes("JPEG"), "is a JPEG image, but its name ends in “.webp”"),
    "gif": ("cover.gif", image_bytes("GIF"), "ends in “.gif”"),
    "gif-named-jpg": ("cover.jpg", image_bytes("GIF"), "it is a GIF image"),
    "pdf": ("cover.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "ends in “.pdf”"),
    "pdf-named-jpg": ("cover.jpg", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "it is a PDF document"),
    "html": ("cover.html", b"<!doctype html><script>alert(1)</script>", "ends in “.html”"),
    "no-extension": ("cover", image_bytes("PNG"), "has no extension"),
    "animated-png": ("cover.png", animated_png(), "animated"),
    "over-5-mb": ("cover.png", image_bytes("PNG", (1400, 1400)), "the limit is 5 MB"),
    "empty": ("cover.png", b"", "empty"),
}


def stored_files():
    """Every file under MEDIA_ROOT (one folder per test process, so another test cannot add to it meanwhile)."""
    return sorted(path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


# Through the admin ------------------------------------------------------------------------------------


def admin_url(model, view, *args):
    return reverse(f"admin:catalog_{model._meta.model_name}_{view}", args=args)


def post_album(client, url, cover, **fields):
    data = form_data(client.get(url).content, form_id="album_form")
    data.update({"title": "Album With A Cover", "slug": "album-with-a-cover", "album_type": "soundtrack",
                 "status": "draft", "release_date": "2003", "cover_alt": ALT, "_save": "Save", **fields})
    data["cover"] = cover
    return client.post(url, data)


def cover_errors(response):
    """The error texts shown in the form row of the cover field, as the editor sees them."""
    assert response.status_code == 200, "the admin should show the form again, with its errors"
    rows = parse(response.content).find_all(class_="field-cover")
    assert rows, "no cover row on the page"
    return [error.text for row in rows for error in row.find_all("li") if "errorlist" in error.parent.classes]


@pytest.mark.parametrize(("filename", "content", "says"), REFUSED.values(), ids=REFUSED.keys())
def test_the_admin_refuses_a_bad_cover_on_the_cover_field(editor_client, filename, content, says):
    files_before = stored_files()

    response = post_album(editor_client, admin_url(models.Album, "add"), upload(filename, content))

    errors = cover_errors(response)
    assert len(errors) == 1 and says in errors[0], errors
    assert list(response.context["adminform"].form.errors) == ["cover"]
    assert not models.Album.objects.exists()
    assert stored_files() == files_before


def test_a_camera_jpeg_is_stored_re_encoded_under_a_generated_name(editor_client):
    uploaded = camera_jpeg()

    response = post_album(editor_client, admin_url(models.Album, "add"), upload("holiday-IMG_0042.jpg", uploaded))

    assert response.status_code == 302, cover_errors(response)
    album = models.Album.objects.get(slug="album-with-a-cover")
    assert re.fullmatch(rf"covers/{GENERATED}\.jpg", album.cover.name)
    stored = Path(album.cover.path).read_bytes()
    assert stored != uploaded
    assert b"<script>" not in stored and stored.endswith(b"\xff\xd9")  # nothing after the image's end
    for secret in (b"PocketCam", b"Rue des Lilas", b"Exif"):
        assert secret not in stored
    with Image.open(album.cover.path) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert not {"exif", "comment", "icc_profile"} & set(image.info)
        # Turned upright as the orientation asked, so the 40×20 picture is stored 20×40, and says so.
        assert image.size == (20, 40)
    assert (album.cover_width, album.cover_height) == (20, 40)


@pytest.mark.parametrize(
    ("filename", "content", "image_format", "mode"),
    [
        ("sleeve.webp", image_bytes("WEBP"), "WEBP", "RGB"),
        ("sleeve.png", image_bytes("PNG"), "PNG", "RGB"),
        ("SLEEVE.JPEG", image_bytes("JPEG"), "JPEG", "RGB"),
        # A print file in CMYK is shown on screens in RGB; a palette keeps its transparency as alpha.
        ("print.jpg", encoded(Image.new("CMYK", (64, 64), (0, 80, 20, 10)), "JPEG"), "JPEG", "RGB"),
        ("palette.png", encoded(Image.new("P", (64, 64)), "PNG", transparency=0), "PNG", "RGBA"),
        ("see-through.webp", encoded(Image.new("RGBA", (64, 64), (200, 0, 0, 128)), "WEBP"), "WEBP", "RGBA"),
    ],
    ids=["webp", "png", "jpeg-upper-case", "cmyk-jpeg", "palette-png", "transparent-webp"],
)
def test_a_good_image_is_accepted_in_its_format(editor_client, filename, content, image_format, mode):
    response = post_album(editor_client, admin_url(models.Album, "add"), upload(filename, content))

    assert response.status_code == 302, cover_errors(response)
    album = models.Album.objects.get(slug="album-with-a-cover")
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format]
    assert re.fullmatch(rf"covers/{GENERATED}\.{extension}", album.cover.name)
    with Image.open(album.cover.path) as image:
        assert (image.format, image.mode, image.size) == (image_format, mode, (64, 64))
    assert (album.cover_width, album.cover_height) == (64, 64)


def test_the_change_form_keeps_the_cover_when_a_new_one_is_refused(editor_client):
    album = factories.AlbumFactory(with_cover=True, title="Album With A Cover")
    url = admin_url(models.Album, "change", album.pk)
    kept, files_before = album.cover.name, stored_files()

    response = post_album(editor_client, url, upload("cover.jpg", REFUSED["svg-named-png"][1]))

    assert "not a JPEG, PNG or WebP image" in cover_errors(response)[0]
    album.refresh_from_db()
    assert album.cover.name == kept
    assert stored_files() == files_before


def test_the_change_form_replaces_the_cover_under_a_new_name(editor_client):
    album = factories.AlbumFactory(with_cover=True, title="Album With A Cover")
    old = album.cover.name

    response = post_album(editor_client, admin_url(models.Album, "change", album.pk),
                          upload("cover.png", image_bytes("PNG", (50, 30))))

    assert response.status_code == 302, cover_errors(response)
    album.refresh_from_db()
    assert album.cover.name != old and re.fullmatch(rf"covers/{GENERATED}\.png", album.cover.name)
    assert (album.cover_width, album.cover_height) == (50, 30)


def test_the_file_input_offers_only_the_formats_taken(editor_client):
    root = parse(editor_client.get(admin_url(models.Album, "add")).content)
    assert root.find("input", name="cover").attrs["accept"] == "image/jpeg,image/png,image/webp"


def test_an_artist_image_goes_through_the_same_checks(editor_client):
    url = admin_url(models.Artist, "add")
    data = form_data(editor_client.get(url).content, form_id="artist_form")
    data.update({"name": "Kevin Shields", "sort_name": "Shields, Kevin", "slug": "kevin-shields",
                 "kind": "person", "image_alt": "Kevin Shields on stage.", "_save": "Save"})

    refused = editor_client.post(url, {**data, "image": upload("portrait.jpg", SVG)})
    assert refused.status_code == 200
    assert "SVG" in refused.context["adminform"].form.errors["image"][0]
    assert not models.Artist.objects.exists()

    accepted = editor_client.post(url, {**data, "image": upload("portrait.jpg", camera_jpeg())})
    assert accepted.status_code == 302
    artist = models.Artist.objects.get()
    assert re.fullmatch(rf"artists/{GENERATED}\.jpg", artist.image.name)
    assert (artist.image_width, artist.image_height) == (20, 40)


# Any other form, and code -----------------------------------------------------------------------------

AlbumForm = modelform_factory(
    models.Album, fields=["title", "slug", "album_type", "release_date", "status", "cover", "cover_alt"]
)
FORM_DATA = {"title": "Form Album", "slug": "form-album", "album_type": "soundtrack", "release_date": "2003",
             "status": "draft", "cover_alt": ALT}


@pytest.mark.parametrize("case", ["text-named-jpg", "png-header-then-html", "bomb-declaring-10-gigapixels"])
def test_a_model_form_refuses_a_bad_cover(case):
    filename, content, says = REFUSED[case]
    form = AlbumForm(FORM_DATA, {"cover": upload(filename, content)})
    assert not form.is_valid()
    assert list(form.errors) == ["cover"] and says in form.errors["cover"][0]


def test_a_model_form_stores_a_good_cover_re_encoded():
    uploaded = camera_jpeg()
    form = AlbumForm(FORM_DATA, {"cover": upload("IMG_0042.jpg", uploaded)})
    assert form.is_valid(), form.errors
    album = form.save()
    assert re.fullmatch(rf"covers/{GENERATED}\.jpg", album.cover.name)
    assert b"PocketCam" not in Path(album.cover.path).read_bytes()
    assert (album.cover_width, album.cover_height) == (20, 40)


def test_saving_a_file_in_code_goes_through_the_same_checks():
    album = factories.AlbumFactory(cover_alt=ALT)
    files_before = stored_files()
    with pytest.raises(ValidationError, match="SVG"):
        album.cover.save("cover.png", ContentFile(SVG))
    assert stored_files() == files_before

    album.cover.save("Front Cover (scan).webp", ContentFile(image_bytes("WEBP", (30, 30))))
    album.refresh_from_db()
    assert re.fullmatch(rf"covers/{GENERATED}\.webp", album.cover.name)
    assert (album.cover_width, album.cover_height) == (30, 30)


def test_full_clean_names_a_bad_file_assigned_in_code():
    album = factories.AlbumFactory(cover_alt=ALT)
    album.cover = ContentFile(TEXT, name="cover.jpg")
    with pytest.raises(ValidationError) as refused:
        album.full_clean()
    assert "text file" in refused.value.message_dict["cover"][0]


# Reading the picture can fail with nothing but a ValidationError ---------------------------------------


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    source=st.sampled_from([("a.jpg", image_bytes("JPEG", (48, 48))), ("a.png", image_bytes("PNG", (48, 48))),
                            ("a.webp", image_bytes("WEBP", (48, 48)))]),
    edits=st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=1, max_size=8)), min_size=1, max_size=4),
    cut=st.none() | st.integers(0, 10_000),
)
def test_damaged_images_give_a_validation_error_and_nothing_else(source, edits, cut):
    name, data = source
    data = bytearray(data)
    for position, patch in edits:
        position %= len(data)
        data[position:position + len(patch)] = patch
    try:
        clean = clean_image(SimpleUploadedFile(name, bytes(data[:cut])))
    except ValidationError:
        return
    with Image.open(clean) as image:  # what is accepted is a complete image
        image.load()


# Showing what is already stored -----------------------------------------------------------------------


def thumbnail_files():
    return {path for path in stored_files() if settings.THUMBNAIL_PREFIX in str(path)}


STORED = {
    "truncated": image_bytes("JPEG", (300, 300))[:4000],
    "text": TEXT,
    "svg": SVG,
    "bomb": png_declaring(100_000, 100_000),
    "over-the-pixel-cap": encoded(Image.new("1", (8000, 6000)), "PNG"),
}


@pytest.mark.parametrize("content", STORED.values(), ids=STORED.keys())
def test_a_bad_file_put_in_storage_shows_the_stand_in(client, content):
    """A file that never went through an upload form (a restored backup, a copy by hand) breaks no page."""
    album = factories.AlbumFactory(with_cover=True, cover_alt=ALT)
    Path(album.cover.path).write_bytes(content)
    thumbnails_before = thumbnail_files()

    for url in (album.get_absolute_url(), reverse("catalog:album-list"), reverse("catalog:home")):
        root = get_page(client, url)
        assert root.find("img", class_="cover") is None
        assert root.find(class_="cover--placeholder") is not None
    assert thumbnail_files() == thumbnails_before


def test_a_missing_file_without_stored_dimensions_shows_the_stand_in(client):
    album = factories.AlbumFactory(with_cover=True, cover_alt=ALT)
    models.Album.objects.filter(pk=album.pk).update(cover="covers/gone.png", cover_width=None, cover_height=None)
    root = get_page(client, album.get_absolute_url())
    assert root.find(class_="cover--placeholder") is not None


def test_the_thumbnail_stand_in_is_a_file_of_our_own():
    """sorl's dummy URL, should a template ever show it: same-origin, as the CSP's img-src 'self' demands."""
    url = DummyImageFile("300x300").url
    assert url == static("img/placeholder.svg")
    placeholder = finders.find("img/placeholder.svg")
    assert placeholder and Path(placeholder).read_bytes().startswith(b"<svg")


def test_the_app_does_not_serve_media_in_production(client):
    """With debug off the web server serves MEDIA_ROOT (README: Media files in production), never Django."""
    album = factories.AlbumFactory(with_cover=True, cover_alt=ALT)
    assert Path(album.cover.path).exists()
    assert client.get(album.cover.url).status_code == 404
