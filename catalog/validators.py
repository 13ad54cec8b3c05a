"""Validators shared by the catalog's models."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from PIL import Image, UnidentifiedImageError

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # 40 megapixels: far beyond any sleeve scan we need.

imdb_id_validator = RegexValidator(
    r"^tt[0-9]{7,8}$", "An IMDb id looks like tt0335266: 'tt' and 7 or 8 digits."
)


def validate_image_file(file):
    """Refuse anything that is not a complete JPEG, PNG or WebP of a sane size.

    Django's ImageField only checks the header; a truncated file passes it and
    breaks later when a page or a thumbnailer decodes it, so decode it fully here.
    """
    if getattr(file, "_committed", False):
        return  # Already stored: it was checked when it was uploaded.
    if file.size is not None and file.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            "The image is %(size)d MB; the limit is 5 MB.",
            code="image_too_large",
            params={"size": file.size // (1024 * 1024)},
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            if image.format not in ALLOWED_IMAGE_FORMATS:
                raise ValidationError(
                    "Upload a JPEG, PNG or WebP image (this file is %(format)s).",
                    code="image_format",
                    params={"format": image.format},
                )
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    "The image is %(width)d×%(height)d pixels; the limit is 40 megapixels.",
                    code="image_pixels",
                    params={"width": width, "height": height},
                )
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            "This file is not a complete image, or it is damaged. Upload a JPEG, PNG or WebP.",
            code="image_invalid",
        ) from None
    finally:
        file.seek(position)
