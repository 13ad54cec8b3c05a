"""Validators shared by the catalog's models."""

from django.core.validators import RegexValidator

from catalog.images import CleanImage, clean_image

imdb_id_validator = RegexValidator(
    r"^tt[0-9]{7,8}$", "An IMDb id looks like tt0335266: 'tt' and 7 or 8 digits."
)


def validate_image_file(file):
    """The upload checks of catalog.images for a file not yet stored, when a model is cleaned.

    A form's ImageUploadField has already checked and re-encoded its file; this catches a file
    assigned in code and cleaned with full_clean() (an import), before saving would refuse it.
    """
    if getattr(file, "_committed", False):
        return  # Already stored: it was checked when it was saved.
    if not isinstance(getattr(file, "file", file), CleanImage):
        clean_image(file)
