"""Uploaded images: checked, re-encoded and stored under generated names; thumbnails made within the same caps.

An upload is a file a stranger may have crafted: an SVG or HTML page named .jpg, a picture with a script
appended (a polyglot), a truncated file, a few kilobytes that decode to gigabytes. `clean_image()` lets
through only a complete JPEG, PNG or WebP that is what its name says, within the caps, and stores not the
upload but Pillow's own re-encoding of its pixels: metadata (EXIF with GPS, ICC, comments) and anything
else in the file is left behind. `SafeImageField` applies it to every way a file reaches a model: its
form field (the admin and any ModelForm, so a refusal is that field's error) and `FieldFile.save()`
(imports, test factories, the shell).
"""

import io
import logging
import struct
import uuid
import warnings
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError
from sorl.thumbnail.engines.pil_engine import Engine

logger = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # 40 megapixels: far beyond any sleeve scan we need.

# The formats we take and their extensions; a stored file gets the first one.
EXTENSIONS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",)}
FORMAT_OF_EXTENSION = {extension: name for name, extensions in EXTENSIONS.items() for extension in extensions}
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "MPO": "JPEG"}
ACCEPT = "image/jpeg,image/png,image/webp"
# Pixel modes each format stores as they are; any other is converted before saving.
STORED_MODES = {"JPEG": {"L", "RGB"}, "PNG": {"L", "LA", "I;16", "RGB", "RGBA"}, "WEBP": {"RGB", "RGBA"}}
SAVE_OPTIONS = {"JPEG": {"quality": 90, "optimize": True}, "PNG": {"optimize": True}, "WEBP": {"quality": 90}}

# What Pillow's decoders raise on a damaged file (an unidentified file is an OSError).
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)
BOMB_ERRORS = (Image.DecompressionBombError, Image.DecompressionBombWarning)

# What an upload that is not a picture we take usually is, by its first bytes: named in the error.
SIGNATURES = {
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"<": "an SVG, HTML or XML document",
    b"\xef\xbb\xbf<": "an SVG, HTML or XML document",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"BM": "a BMP image",
    b"PK\x03\x04": "a ZIP archive",
}

MESSAGES = {
    "extension": "Upload a JPEG, PNG or WebP image, named .jpg, .jpeg, .png or .webp (this file’s name %(ends)s).",
    "too_large": "The file is %(size)s; the limit is 5 MB.",
    "not_an_image": "This file is not a JPEG, PNG or WebP image%(what)s.",
    "mismatch": "This file is a %(actual)s image, but its name ends in “%(extension)s”: rename it to "
    "%(expected)s, or upload a %(named)s.",
    "animated": "This is an animated image: upload a still JPEG, PNG or WebP.",
    "too_many_pixels": "The image is %(width)d×%(height)d pixels (%(megapixels)s megapixels); the limit is 40.",
    "bomb": "The image declares far more than 40 megapixels (a decompression bomb); it was not decoded.",
    "damaged": "The image is incomplete or damaged and cannot be read to its end: upload the original file again.",
}


def refuse(code, **params):
    return ValidationError(MESSAGES[code], code=f"image_{code}", params=params)


class CleanImage(ContentFile):
    """An image re-encoded by clean_image(), named image.<extension>: stored as it is."""


def clean_image(file, name=None):
    """Check an uploaded image (named `name`, or its own name) and re-encode it; a CleanImage, or a
    ValidationError that names the problem.

    Everything is checked before the pixels are decoded (name, size, format, animation, pixel count), then
    the whole image is decoded, so a truncated file fails here and not later on a page.
    """
    extension = PurePath(name or file.name or "").suffix.lower()
    if extension not in FORMAT_OF_EXTENSION:
        raise refuse("extension", ends=f"ends in “{extension}”" if extension else "has no extension")
    file.seek(0)
    data = file.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise refuse("too_large", size=filesizeformat(getattr(file, "size", None) or len(data)))
    try:
        # Pillow warns past 89 megapixels and refuses past twice that; its warning must stop us too.
        # (catch_warnings is process-wide, but our own lower cap below holds whatever another thread does.)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(EXTENSIONS)) as image:
                check_before_decoding(image, extension)
                image.load()
                return CleanImage(reencode(image), name=f"image{EXTENSIONS[stored_format(image)][0]}")
    except BOMB_ERRORS:
        raise refuse("bomb") from None
    except UnidentifiedImageError:
        if data.startswith((b"\xff\xd8\xff", b"\x89PNG")) or data[8:12] == b"WEBP":
            raise refuse("damaged") from None
        raise refuse("not_an_image", what=describe(data)) from None
    except DECODE_ERRORS:
        raise refuse("damaged") from None


def stored_format(image):
    # A camera's multi-picture JPEG (MPO) is a JPEG with extra frames; only the first is kept.
    return "JPEG" if image.format == "MPO" else image.format


def check_before_decoding(image, extension):
    expected = FORMAT_OF_EXTENSION[extension]
    if stored_format(image) != expected:
        raise refuse(
            "mismatch", actual=FORMAT_NAMES[image.format], extension=extension,
            expected=EXTENSIONS[stored_format(image)][0], named=FORMAT_NAMES[expected],
        )
    if getattr(image, "is_animated", False) and image.format != "MPO":
        raise refuse("animated")
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        raise refuse("too_many_pixels", width=width, height=height, megapixels=f"{width * height / 1e6:.0f}")


def reencode(image):
    """The image's pixels in a new file of its format, upright, in a mode the format stores plainly."""
    image_format = stored_format(image)
    image = ImageOps.exif_transpose(image)
    if image_format != "JPEG" and image.has_transparency_data and image.mode not in ("LA", "RGBA"):
        image = image.convert("RGBA")  # a palette or a transparent colour becomes an alpha channel
    elif image.mode not in STORED_MODES[image_format]:
        image = image.convert("RGB")  # CMYK, a palette without transparency, 1-bit, 32-bit integer
    image.info = {}  # Pillow writes some of it back (a JPEG's comment, a PNG's ICC profile)
    buffer = io.BytesIO()
    image.save(buffer, image_format, **SAVE_OPTIONS[image_format])
    return buffer.getvalue()


def describe(data):
    for signature, what in SIGNATURES.items():
        if data.lstrip(b" \t\r\n").startswith(signature):
            return f": it is {what}"
    if data[4:8] == b"ftyp":
        return ": it looks like a HEIC or AVIF photo; export it as JPEG"
    if not data:
        return ": it is empty"
    try:
        data[:4096].decode()
    except UnicodeDecodeError:
        return ""
    return ": it is a text file"


class ImageUploadField(forms.ImageField):
    """SafeImageField's form field: clean_image() runs while the form is cleaned, so a refusal is this
    field's error, and the form hands the model the re-encoded file."""

    def to_python(self, data):
        data = forms.FileField.to_python(self, data)  # not ImageField's: it opens the file with no caps
        return None if data is None else clean_image(data)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if attrs.get("accept") == "image/*":
            attrs["accept"] = ACCEPT
        return attrs


class SafeImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        if not isinstance(content, CleanImage):
            content = clean_image(content, name)
        super().save(content.name, content, save)


class SafeImageField(models.ImageField):
    """An ImageField whose files go through clean_image() and are stored as <upload_to><uuid4 hex>.<ext>:
    the uploaded name never reaches the storage."""

    attr_class = SafeImageFieldFile

    def generate_filename(self, instance, filename):
        return super().generate_filename(instance, uuid.uuid4().hex + PurePath(filename).suffix)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageUploadField, **kwargs})

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        # A row without stored dimensions (an import, a restored backup) opens its file each time it is
        # loaded: a file missing from the storage leaves them empty, and the page draws its stand-in.
        try:
            super().update_dimension_fields(instance, force, *args, **kwargs)
        except OSError as error:
            logger.warning("Cannot read the dimensions of %s: %s", getattr(instance, self.attname), error)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        # Migrations see a plain ImageField: the checks run in Python and change no column.
        return name, "django.db.models.ImageField", args, kwargs


class ThumbnailEngine(Engine):
    """sorl-thumbnail's Pillow engine, refusing a source over the pixel cap before decoding it.

    Uploads are checked, but a file can reach the storage by other means (a restored backup, a copy by
    hand). sorl answers the error with its dummy, and the templates draw their stand-in.
    """

    def get_image(self, source):
        image = super().get_image(source)
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise ValueError(f"{source.name} is {image.width}×{image.height} pixels, over the cap")
        return image
