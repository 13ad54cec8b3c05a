"""Django's loaddata, made to load all of its fixtures or none and to say where a problem is.

Django already loads in one transaction, but it saves rows raw: no validators, no clean(), and SQLite
enforces no lengths, so a fixture could store what no editor could. Here every object the command saved
must also pass full_clean() inside that transaction (less the checks the database has just made, see
clean_beyond_database), and every failure (data that does not deserialize,
a reference to nothing, a database constraint, a validation error) is a CommandError naming the file,
the object's number in it and the problem. The transaction is then rolled back: nothing stays loaded.
Being an app's command, it replaces Django's for `make run`, the restore command and the tests alike.
"""

import json
import os

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.management.base import CommandError
from django.core.management.commands import loaddata
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError


class Command(loaddata.Command):
    help = "Installs the named fixture(s) in the database: all of them or nothing, every object validated."

    def handle(self, *fixture_labels, **options):
        try:
            super().handle(*fixture_labels, **options)
        except (DatabaseError, DeserializationError) as error:
            # Not one object's fault: foreign keys checked after loading, or a check deferred to the commit.
            raise CommandError(f"Could not load {', '.join(fixture_labels)}: {error}") from error

    def loaddata(self, fixture_labels):
        self.loaded = []  # a Place for every object saved, in loading order
        super().loaddata(fixture_labels)

    def load_label(self, fixture_label):
        # File by file, so that every object knows the file it came from.
        for fixture_file, _dir, _name in self.find_fixtures(fixture_label):
            self.fixture_file, self.object_count = fixture_file, 0
            try:
                super().load_label(fixture_file)
            except DeserializationError as error:
                raise CommandError(self.deserialization_problem(error)) from error

    def save_obj(self, obj):
        self.object_count += 1
        place = Place(self.fixture_file, self.object_count, obj)
        # A required reference Django could not resolve: the insert would only say "NOT NULL constraint
        # failed" (and, on PostgreSQL, abort the transaction before the cause could be looked up).
        unresolved = [
            (field, value) for field, value in (obj.deferred_fields or {}).items()
            if not field.many_to_many and not field.null
        ]
        if unresolved:
            raise CommandError(f"{place}: {'; '.join(reference_problems(unresolved))}")
        try:
            saved = super().save_obj(obj)
        except (DatabaseError, ValueError) as error:
            # Django has put "Could not load <model>(pk=…): " before the database's own words.
            prefix = f"Could not load {obj.object._meta.label}(pk={obj.object.pk}): "
            raise CommandError(f"{place}: {str(error).removeprefix(prefix)}") from error
        if saved:
            self.loaded.append(place)
        if self.objs_with_deferred_fields and self.objs_with_deferred_fields[-1] is obj:
            self.objs_with_deferred_fields[-1] = place  # resolved at the end: a failure names the object
        return saved

    def reset_sequences(self, connection, models):
        # Django's last step before it reports success, reached only when objects were saved: all
        # of them and their deferred references are in, and the foreign keys are checked. Validating
        # here keeps the validation inside the transaction, so one invalid object undoes the whole load.
        self.validate_loaded()
        super().reset_sequences(connection, models)

    def validate_loaded(self):
        problems = []
        for place in self.loaded:
            try:
                clean_beyond_database(place.obj.object)
            except ValidationError as error:
                problems.append(f"{place}: {describe_validation_error(error)}")
        if problems:
            raise CommandError("Invalid data, nothing was loaded:\n" + "\n".join(problems))

    def deserialization_problem(self, error):
        """The failing object and what is wrong with it, for an object Django could not even build."""
        message = str(error).removeprefix(f"Problem installing fixture '{self.fixture_file}': ")
        if not message:  # the file as a whole does not parse, e.g. broken JSON
            return f"{display_path(self.fixture_file)}: not a valid fixture ({error.__cause__})"
        number = self.object_count + 1  # Django builds the objects one by one, in file order
        entry = self.raw_entry(number - 1)
        if entry is None:
            return f"{display_path(self.fixture_file)}, object {number}: {message}"
        problems = entry_reference_problems(entry, self.using)
        where = f"{display_path(self.fixture_file)}, object {number} ({entry.get('model')})"
        return f"{where}: {'; '.join(problems) or message}"

    def raw_entry(self, index):
        """The index-th entry of the current JSON fixture as written, or None when it cannot be read again."""
        if self.fixture_file == loaddata.READ_STDIN:
            return None
        _name, ser_fmt, cmp_fmt = self.parse_name(os.path.basename(self.fixture_file))
        if ser_fmt != "json":
            return None
        open_method, mode = self.compression_formats[cmp_fmt]
        with open_method(self.fixture_file, mode) as fixture:
            entries = json.loads(fixture.read())
        return entries[index] if isinstance(entries, list) and index < len(entries) else None


class Place:
    """Where a deserialized object came from; stands in for it in Django's list of deferred references."""

    def __init__(self, fixture_file, number, obj):
        self.fixture_file, self.number, self.obj = fixture_file, number, obj

    def __str__(self):
        instance = self.obj.object
        # A name from the object's own columns, never a query: after a database error, PostgreSQL
        # refuses every statement until the rollback.
        name = next((getattr(instance, attr) for attr in ("slug", "title", "name") if getattr(instance, attr, "")), "")
        label = f"{instance._meta.label_lower}{f' “{name}”' if name else ''}"
        return f"{display_path(self.fixture_file)}, object {self.number} ({label})"

    def save_deferred_fields(self, using=None):
        try:
            self.obj.save_deferred_fields(using=using)
        except DeserializationError as error:  # a reference found neither earlier nor later in the fixtures
            problems = reference_problems(self.obj.deferred_fields.items(), using, searched="in the fixtures")
            raise CommandError(f"{self}: {'; '.join(problems) or error}") from error
        except DatabaseError as error:
            raise CommandError(f"{self}: {error}") from error


def clean_beyond_database(instance):
    """full_clean(), less what the database has just enforced on this object in this transaction.

    Unique and check constraints held when the row was saved, and loaddata has checked that every
    reference exists; checking them again would cost queries for every object of every fixture (and
    the tests load fixtures hundreds of times). What the database cannot enforce remains: lengths on
    SQLite, validators, choices, limit_choices_to and the model's clean().
    """
    enforced = [field.name for field in instance._meta.fields if field.is_relation and not field.get_limit_choices_to()]
    instance.full_clean(exclude=enforced, validate_unique=False, validate_constraints=False)


def reference_problems(fields_and_values, using=None, searched="earlier in the fixtures"):
    """A sentence for each reference among these (field, serialized value) pairs that finds no object.

    using=None when the references are known to be missing (Django has just looked them up).
    """
    problems = []
    for field, value in fields_and_values:
        target = field.related_model
        manager = target._default_manager.db_manager(using)
        for key in value if field.many_to_many else [value]:
            if using is not None and key_exists(manager, key):
                continue
            problems.append(
                f"{field.name} refers to {target._meta.label_lower} {json.dumps(key, ensure_ascii=False)}, "
                f"which is neither in the database nor {searched}"
            )
    return problems


def entry_reference_problems(entry, using):
    """reference_problems() for the relations of a fixture entry as written."""
    try:
        model = apps.get_model(entry["model"])
    except (LookupError, KeyError, TypeError, ValueError):
        return []
    pairs = []
    for name, value in (entry.get("fields") or {}).items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.is_relation and value is not None:
            pairs.append((field, value))
    return reference_problems(pairs, using)


def key_exists(manager, key):
    """Whether a serialized reference (a natural key as a list, or a primary key) finds an object."""
    try:
        if isinstance(key, list) and hasattr(manager, "get_by_natural_key"):
            manager.get_by_natural_key(*key)
            return True
        return manager.filter(pk=key).exists()
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError):
        return False


def describe_validation_error(error):
    """'title: Ensure this value has at most 200 characters (it has 250).' for each failing field."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return "; ".join(
        " ".join(messages) if field == "__all__" else f"{field}: {' '.join(messages)}"
        for field, messages in error.message_dict.items()
    )


def display_path(path):
    """A fixture's path relative to the working directory when it lies inside it."""
    relative = os.path.relpath(path) if path != loaddata.READ_STDIN else path
    return path if relative.startswith(os.pardir) else relative
