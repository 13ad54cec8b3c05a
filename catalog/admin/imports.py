"""Bulk entry in the admin with django-import-export: the checked import every import here shares, and the
catalog's rows as files (an album's track listing, artists).

An import is all or nothing. The upload form refuses a file it cannot read whole (wrong format, not UTF-8,
empty, too large, a missing or unknown column); the dry run then validates every row with the model's
full_clean() inside a transaction that is rolled back, and lists each bad row with its column and message;
the confirmed import runs in one transaction, rolled back if any row fails after all. Related objects are
named by slug, never by database id, so a file moves between databases.
"""

import io
import json
import os
import unicodedata
import zipfile
from csv import Error as CSVError
from decimal import Decimal, InvalidOperation

import tablib
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from import_export import resources, widgets
from import_export.admin import ImportExportMixin
from import_export.fields import Field
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm
from import_export.tmp_storages import TempFolderStorage
from import_export.widgets import CharWidget
from openpyxl.utils.exceptions import InvalidFileException

from ..fields import LengthFormField, format_length
from ..models import Album, Artist, Track, TrackArtist
from .publishing import LOCKED_MESSAGE, is_live

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000  # Every row is validated and saved on its own: more would outlast a request.
UPLOAD_MAX_AGE = 60 * 60  # Seconds from a preview to its confirmation; later, the file is uploaded again.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # An XLSX is a zip; refuse one that unpacks to far more than it weighs.
# What a spreadsheet would run as a formula when a cell starts with it (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What tablib, csv, json and openpyxl raise on a file that is not what its format says.
READ_ERRORS = (
    ValueError, KeyError, IndexError, TypeError, StopIteration, CSVError, zipfile.BadZipFile,
    InvalidFileException, tablib.InvalidDimensions, tablib.UnsupportedFormat,
)


def escape_formula(cell):
    return f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell


def unescape_formula(cell):
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


class SpreadsheetSafe:
    """Cells a spreadsheet would run as formulae get a leading apostrophe (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT).

    The library's own escaping only drops a leading "=" and writes empty XLSX cells as "None"; imports take
    the apostrophe off again (CatalogResource.before_import_row), so an exported file imports unchanged.
    """

    def _escape_formulae(self, dataset):
        headers, rows = dataset.headers, [[escape_formula(cell) for cell in row] for row in dataset]
        dataset.wipe()
        dataset.headers = headers
        dataset.extend(rows)


class CSV(SpreadsheetSafe, base_formats.CSV):
    pass


class XLSX(SpreadsheetSafe, base_formats.XLSX):
    pass


class UnreadableFileError(ValueError):
    """What is wrong with a file, in words for the editor who sent it."""


class JSON(base_formats.JSON):
    """A list of objects with the same keys, read by key.

    tablib reads every object's values in the order of the first object's keys, so an object that lists
    its keys in another order would put its values in the wrong columns.
    """

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8")
        data = json.loads(in_stream)
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise UnreadableFileError("it is not a list of objects, one per row.")
        headers = list(data[0]) if data else []
        dataset = tablib.Dataset(headers=headers)
        for number, item in enumerate(data, 1):
            if set(item) != set(headers):
                raise UnreadableFileError(f"object {number} does not have the same keys as the first one.")
            if any(isinstance(value, (dict, list)) for value in item.values()):
                raise UnreadableFileError(f"object {number} has a list or an object as a value.")
            dataset.append([item[key] for key in headers])
        return dataset

    def _escape_formulae(self, dataset):
        pass  # No spreadsheet opens JSON.


FORMATS = [CSV, XLSX, JSON]


# Widgets: every value that cannot be read raises ValueError, which import-export reports as an error
# on the row's column (anything else would be a crash of the row, listed without its column).


class SlugWidget(widgets.ForeignKeyWidget):
    """A related object named by its slug; `required` when the relation cannot be empty."""

    def __init__(self, model, required=True):
        super().__init__(model, field="slug")
        self.required = required

    def clean(self, value, row=None, **kwargs):
        value = str(value).strip() if value is not None else ""
        if not value and self.required:
            raise ValueError(f"Give the {self.model._meta.verbose_name}'s slug: this column cannot be empty.")
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(f"There is no {self.model._meta.verbose_name} with the slug “{value}”.") from None


class SlugListWidget(widgets.Widget):
    """Related objects named by their slugs, in order, separated by commas."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def clean(self, value, row=None, **kwargs):
        slugs = [slug.strip() for slug in str(value or "").split(",") if slug.strip()]
        if len(set(slugs)) < len(slugs):
            raise ValueError("A slug is listed twice.")
        found = self.model.objects.in_bulk(slugs, field_name="slug")
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            names = ", ".join(f"“{slug}”" for slug in missing)
            raise ValueError(f"There is no {self.model._meta.verbose_name} with the slug {names}.")
        return [found[slug] for slug in slugs]


class LengthWidget(widgets.Widget):
    """A length as m:ss or h:mm:ss, read by the admin form's own field."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        if not isinstance(value, (str, int)):  # An XLSX cell holding a time of day, a date or a float.
            raise ValueError("Write the length as text, m:ss (for example 4:05); the spreadsheet read it as "
                             f"{type(value).__name__}.")
        try:
            return LengthFormField().clean(str(value))
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None

    def render(self, value, obj=None, **kwargs):
        return format_length(value)


class IntegerWidget(widgets.IntegerWidget):
    """A whole number: "3" or an XLSX 3.0, never 3.5 cut to 3."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or number != number.to_integral_value() or number.adjusted() > 9:
            raise ValueError(f"“{value}” is not a whole number.")
        return int(number)


class DecimalWidget(widgets.DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            number = super().clean(value, row, **kwargs)
        except InvalidOperation:
            number = Decimal("NaN")
        if number is not None and not number.is_finite():
            raise ValueError(f"“{value}” is not a number.")
        return number


class FlagWidget(widgets.BooleanWidget):
    """Yes or no: 1/0, true/false, yes/no; empty is no. Anything else is an error, not a silent no."""

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip().lower()
        if text in ("", "0", "false", "no"):
            return False
        if text in ("1", "true", "yes"):
            return True
        raise ValueError(f"“{value}” is not yes or no: write 1 or 0.")


class CatalogResource(resources.ModelResource):
    """A model resource whose every problem with a row is a validation error under the row's column.

    `publishable` names what decides who may import a row, as the admin's PublishRule does for forms:
    "" for a publishable model itself, a relation ("album") for what belongs to one, None for neither.
    Without the publish permission, a row may not change or add to anything published or scheduled,
    nor publish: such a row is an error and nothing is imported.
    """

    publishable = None

    class Meta:
        clean_model_instances = True  # full_clean(): clean(), choices and constraints, so never an IntegrityError.
        use_transactions = True
        skip_unchanged = True  # The dry run shows unchanged rows as skipped: what remains is what changes.
        report_skipped = True

    @classmethod
    def column_names(cls):
        return [field.column_name for field in cls.fields.values()]

    @classmethod
    def required_columns(cls):
        """The columns that say which object a row is."""
        return [cls.fields[name].column_name for name in cls._meta.import_id_fields]

    def before_import(self, dataset, **kwargs):
        dataset.headers = [str(header or "").strip().lower() for header in dataset.headers]
        self.seen_rows = {}

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            if isinstance(value, str):
                value = unescape_formula(value.strip())
                if any(char == "\x00" or unicodedata.category(char) == "Cs" for char in value):
                    raise ValidationError({column: "This cell holds a character that cannot be stored (NUL or "
                                                   "an unpaired surrogate)."})
                row[column] = value
        self.check_once(row, kwargs["row_number"])

    def check_once(self, row, number):
        """The same object twice in a file would quietly import only the second row: refuse it."""
        fields = [self.fields[name] for name in self._meta.import_id_fields]
        try:
            key = tuple(field.clean(row) for field in fields)
        except ValueError:
            return  # The column's own error is reported when the row is read.
        if key in self.seen_rows:
            columns = ", ".join(field.column_name for field in fields)
            raise ValidationError({fields[-1].column_name: f"Row {self.seen_rows[key]} has the same {columns}."})
        self.seen_rows[key] = number

    def import_instance(self, instance, row, user=None, **kwargs):
        """Reads the row into the instance; notes whether the user may make this change (see `publishable`)."""
        live_before = is_live(self.publishable_item(instance))
        try:
            super().import_instance(instance, row, user=user, **kwargs)
        finally:
            instance.import_refusal = None
            after = self.publishable_item(instance)
            if user is not None and self.publishable is not None and (live_before or is_live(after)):
                model = type(after) if after is not None else self._meta.model
                if not model.may_be_published_by(user):
                    instance.import_refusal = self.refusal(live_before, after, model)

    def publishable_item(self, instance):
        if not self.publishable:
            return instance if self.publishable == "" else None
        # Through the id first: reading an unset relation would cache None, which a model's clean() may trip on.
        field = instance._meta.get_field(self.publishable)
        return getattr(instance, self.publishable) if getattr(instance, field.attname) is not None else None

    def refusal(self, live_before, item, model):
        """Why the user may not make this change: as the admin's PublishRule refuses it on a form."""
        column = self.fields[self.publishable].column_name if self.publishable else "status"
        if self.publishable or live_before:
            message = LOCKED_MESSAGE.format(item)
        else:
            plural = model._meta.verbose_name_plural
            message = f"Only an editor who may publish {plural} can publish one: set the status to draft."
        return {column: message}

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None  # An unreadable key: the row's error names the column when the row is read.

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Only rows that change something get here (unchanged ones are skipped), so an unchanged row
        # of a published album in an exported file is no error.
        errors = {**(import_validation_errors or {}), **(getattr(instance, "import_refusal", None) or {})}
        try:
            super().validate_instance(instance, errors, validate_unique)
        except ValidationError as error:
            # Under the file's column names, not the model's field names (rating, not rating_value).
            columns = {field.attribute: field.column_name for field in self.fields.values() if field.attribute}
            raise ValidationError(
                {columns.get(name, name): messages for name, messages in error.message_dict.items()}
            ) from None


class CheckedImportForm(ImportForm):
    """The upload step: a file the import could not read whole is refused here, with the reason."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.format_classes, self.resource_classes = formats, resources
        self.fields["import_file"].help_text = (
            f"CSV (UTF-8), XLSX or JSON, at most {filesizeformat(MAX_BYTES)} and {MAX_ROWS} rows."
        )

    def clean(self):
        cleaned_data = super().clean()
        upload, choice = cleaned_data.get("import_file"), cleaned_data.get("format")
        if upload and choice:
            resource = self.resource_classes[int(cleaned_data.get("resource") or 0)]
            try:
                self.check(upload, self.format_classes[int(choice)](encoding="utf-8-sig"), resource)
            except ValidationError as error:
                self.add_error("import_file", error)
        return cleaned_data

    def check(self, upload, file_format, resource):
        check_size(upload.size)
        check_content(b"".join(upload.chunks()), file_format, resource)


def check_size(size):
    if size > MAX_BYTES:
        raise ValidationError(f"The file is {filesizeformat(size)}; the limit is "
                              f"{filesizeformat(MAX_BYTES)}. Split it into smaller files.")


def check_content(content, file_format, resource):
    """Every check of a file's bytes: readable whole as its format, with known columns and 1 to MAX_ROWS rows."""
    title = file_format.get_title().upper()
    if not content:  # The upload form's file field refuses one first; a file emptied since can reach here.
        raise ValidationError("The file is empty.")
    if file_format.is_binary():
        check_unpacked_size(content)
    else:
        if content.startswith(b"PK\x03\x04"):
            raise ValidationError(f"This is a spreadsheet file, not {title}: choose XLSX as the format.")
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("The file is not UTF-8 text. Save it again as UTF-8 "
                                  "(in Excel: “CSV UTF-8”).") from None
        if "\x00" in content:
            raise ValidationError(f"The file holds NUL characters: it is not {title} text.")
    try:
        dataset = file_format.create_dataset(content)
    except READ_ERRORS as error:
        if isinstance(error, tablib.InvalidDimensions):
            error = "a row has more or fewer cells than the header (quote cells that hold commas)."
        elif not isinstance(error, UnreadableFileError):
            error = "check that the format chosen is the file's."
        raise ValidationError(f"This file cannot be read as {title}: {error}") from None
    check_columns(dataset, resource)
    if not len(dataset):
        raise ValidationError("The file has no rows to import under its header.")
    if len(dataset) > MAX_ROWS:
        raise ValidationError(f"The file has {len(dataset)} rows; the limit is {MAX_ROWS}. "
                              "Split it into smaller files.")


def check_unpacked_size(content):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise ValidationError("This file cannot be read as XLSX: check that the format chosen is the file's.") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(f"The spreadsheet unpacks to {filesizeformat(unpacked)}; the limit is "
                              f"{filesizeformat(MAX_UNPACKED_BYTES)}.")


def check_columns(dataset, resource):
    headers = [str(header or "").strip().lower() for header in dataset.headers or []]
    known = resource.column_names()
    problems = []
    if "" in headers:
        problems.append("a column has no name in the header row")
    repeated = sorted({header for header in headers if header and headers.count(header) > 1})
    if repeated:
        problems.append(f"repeated {', '.join(repeated)}")
    missing = [column for column in resource.required_columns() if column not in headers]
    if missing:
        problems.append(f"missing {', '.join(missing)}")
    unknown = [header for header in headers if header and header not in known]
    if unknown:
        problems.append(f"unknown {', '.join(unknown)}")
    if problems:
        raise ValidationError(f"Check the header row: {'; '.join(problems)}. The columns are: {', '.join(known)}; "
                              f"{', '.join(resource.required_columns())} must be there.")


def upload_signer(request, model):
    """Signs the confirm step's hidden fields for this session and this model's import only.

    The file waits in the system's temporary folder between the preview and the confirmation, and the
    library takes its name from the form: unsigned, any name there could be read as an import and then
    deleted, and another editor's preview confirmed. The session key changes at each login. The salt keeps
    the name of the module this was first written in, so that a preview open across an upgrade confirms.
    """
    salt = f"catalog.importing.upload:{model._meta.label_lower}:{request.session.session_key}"
    return signing.TimestampSigner(salt=salt)


class CheckedConfirmForm(ConfirmImportForm):
    """The confirm step's hidden fields, checked: a tampered or replayed form is a message, not a crash.

    `import_file_name` holds the file's name, format and resource as signed at the preview
    (ImportExportAdmin.get_confirm_form_initial), and the file passes every check of the upload again.
    """

    EXPIRED = "This import was already confirmed or has expired: upload the file again."

    def __init__(self, *args, request, model, formats, resources, **kwargs):
        super().__init__(*args, **kwargs)
        self.signer, self.format_classes, self.resource_classes = upload_signer(request, model), formats, resources

    def clean_format(self):
        choice = self.cleaned_data["format"]
        if not choice.isdigit() or int(choice) >= len(self.format_classes):
            raise ValidationError("Unknown format.")
        return choice

    def clean_resource(self):
        choice = self.cleaned_data["resource"] or "0"
        if not choice.isdigit() or int(choice) >= len(self.resource_classes):
            raise ValidationError("Unknown kind of row.")
        return choice

    def clean_import_file_name(self):
        try:
            self.previewed = self.signer.unsign_object(self.cleaned_data["import_file_name"], max_age=UPLOAD_MAX_AGE)
        except signing.SignatureExpired:
            raise ValidationError(self.EXPIRED) from None
        except signing.BadSignature:
            raise ValidationError("This import was not previewed in this session: upload the file again.") from None
        name = self.previewed["name"]
        if name != os.path.basename(name) or not os.path.isfile(TempFolderStorage(name=name).get_full_path()):
            raise ValidationError(self.EXPIRED)
        return name

    def clean(self):
        cleaned_data = super().clean()
        if self.errors:
            return cleaned_data
        if (self.previewed["format"], self.previewed["resource"]) != (cleaned_data["format"], cleaned_data["resource"]):
            self.add_error("import_file_name", "The format or kind of row is not the preview's: upload the file again.")
            return cleaned_data
        # The file has lain on disk since the preview: it passes every check of the upload again.
        path = TempFolderStorage(name=cleaned_data["import_file_name"]).get_full_path()
        try:
            check_size(os.path.getsize(path))
            with open(path, "rb") as file:
                content = file.read(MAX_BYTES + 1)
            check_content(content, self.format_classes[int(cleaned_data["format"])](encoding="utf-8-sig"),
                          self.resource_classes[int(cleaned_data["resource"])])
        except FileNotFoundError:
            self.add_error("import_file_name", self.EXPIRED)
        except ValidationError as error:
            self.add_error("import_file_name", error)
        return cleaned_data


class ImportExportAdmin(ImportExportMixin):
    """Import and export on a model admin's changelist; put it first among the admin's bases.

    Importing needs the add and change permissions (a file may do both), exporting the view permission
    (settings.IMPORT_EXPORT_EXPORT_PERMISSION_CODE). An export holds the changelist's filtered rows.
    """

    formats = FORMATS
    import_form_class = CheckedImportForm
    confirm_form_class = CheckedConfirmForm
    # Every column, so that an export imports back; the library's column picker needs an inline script
    # handler, which the Content-Security-Policy forbids.
    export_form_class = ExportForm
    import_template_name = "admin/imports/import.html"

    def has_import_permission(self, request):
        return (
            super().has_import_permission(request)
            and self.has_add_permission(request)
            and self.has_change_permission(request)
        )

    def get_confirm_form_kwargs(self, request, import_form=None):
        return {
            **super().get_confirm_form_kwargs(request, import_form), "request": request, "model": self.model,
            "formats": self.get_import_formats(), "resources": self.get_import_resource_classes(request),
        }

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if initial:  # The preview: the file is bound to this session, format and resource (CheckedConfirmForm).
            initial["import_file_name"] = upload_signer(request, self.model).sign_object({
                "name": os.path.basename(initial["import_file_name"]),
                "format": str(initial["format"]), "resource": str(initial["resource"] or "0"),
            })
        return initial

    def get_import_data_kwargs(self, **kwargs):
        # The confirmed import too is all or nothing, should the data have changed since the dry run.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(request, "Nothing was imported: the file no longer passes its checks, as the data "
                                    "changed since the preview. Upload it again to see why.")
            return redirect(reverse("admin:{}_{}_import".format(*self.get_model_info())))
        return super().process_result(result, request)


# The catalog's resources ------------------------------------------------------------------------------

TRACK_COLUMNS = (
    "album", "disc", "position", "title", "alternative_title", "length", "hidden", "bonus", "note", "artists",
)
ARTIST_COLUMNS = (
    "slug", "name", "sort_name", "kind", "disambiguation", "original_name", "begin_date", "end_date", "country",
    "biography",
)


class TrackResource(CatalogResource):
    """One row per track: the album by slug, disc and position say which track it is.

    `disc` may be left out for a single disc. `artists` lists the performers' slugs in sleeve order
    ("brian-reitzell, roger-joseph-manning-jr"); without the column the performers are left as they are.
    """

    album = Field("album", "album", SlugWidget(Album))
    disc = Field("disc", "disc", IntegerWidget(), default=1)
    position = Field("position", "position", IntegerWidget())
    title = Field("title", "title", CharWidget())
    alternative_title = Field("alternative_title", "alternative_title", CharWidget())
    length = Field("length", "length", LengthWidget())
    hidden = Field("is_hidden", "hidden", FlagWidget())
    bonus = Field("is_bonus", "bonus", FlagWidget())
    note = Field("note", "note", CharWidget())
    artists = Field(column_name="artists", widget=SlugListWidget(Artist))

    publishable = "album"

    class Meta:
        model = Track
        fields = export_order = import_order = TRACK_COLUMNS
        import_id_fields = ("album", "disc", "position")

    @classmethod
    def required_columns(cls):
        return ["album", "position"]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        if "disc" not in dataset.headers:
            dataset.append_col([1] * len(dataset), header="disc")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("album").prefetch_related("track_artists__artist")

    def dehydrate_artists(self, track):
        return ", ".join(credit.artist.slug for credit in track.track_artists.all()) if track.pk else ""

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        instance.imported_performers = None
        if "artists" in row:
            try:
                instance.imported_performers = self.fields["artists"].clean(row)
            except ValueError as error:
                errors["artists"] = ValidationError(str(error))
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        performers = instance.imported_performers
        if performers is not None and self.dehydrate_artists(original) != ", ".join(a.slug for a in performers):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def after_save_instance(self, instance, row, **kwargs):
        if instance.imported_performers is not None:
            set_performers(instance, instance.imported_performers)


def set_performers(track, artists):
    """Credit exactly these artists, in this order, keeping what is known of those already credited.

    A new credit is joined to the next with " & " (editors change it on the track's page); the last
    credit joins nothing.
    """
    credits = {credit.artist_id: credit for credit in track.track_artists.all()}
    TrackArtist.objects.filter(track=track).exclude(artist__in=artists).delete()
    for position, artist in enumerate(artists, 1):
        credit = credits.get(artist.pk) or TrackArtist(track=track, artist=artist)
        credit.position = position
        credit.join_phrase = "" if position == len(artists) else (credit.join_phrase or " & ")
        credit.save()


class ArtistResource(CatalogResource):
    """One row per artist, found by slug. Images are uploaded on the artist's page, not imported."""

    slug = Field("slug", "slug", CharWidget())
    name = Field("name", "name", CharWidget())
    sort_name = Field("sort_name", "sort_name", CharWidget())
    kind = Field("kind", "kind", CharWidget(), default="person")
    disambiguation = Field("disambiguation", "disambiguation", CharWidget())
    original_name = Field("original_name", "original_name", CharWidget())
    begin_date = Field("begin_date", "begin_date", CharWidget())
    end_date = Field("end_date", "end_date", CharWidget())
    country = Field("country", "country", CharWidget())
    biography = Field("biography", "biography", CharWidget())

    class Meta:
        model = Artist
        fields = export_order = import_order = ARTIST_COLUMNS
        import_id_fields = ("slug",)
