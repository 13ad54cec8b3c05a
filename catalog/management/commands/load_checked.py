"""Django's loaddata, made to load all of its files or none, every object validated, and to say where a problem is.

Django's loaddata already loads in one transaction, but it saves rows raw: no validators, no clean(), and
SQLite enforces no lengths, so a fixture could store what no editor could. This command runs Django's own
loaddata (call_command) inside a transaction of its own, then, still inside it, validates every object
loaddata saved (full_clean(), less the checks the database has just made: clean_beyond_database). Every
failure (data that does not deserialize, a reference to nothing, a database constraint, a validation error)
is a CommandError naming the file, the object's number in it and the problem, and the transaction is rolled
back: nothing stays loaded.

It follows loaddata through the signals Django sends for every object loaddata saves, pre_save and
post_save with raw=True, in the order of the files and of the objects in each (which it has read first):
so it knows the file and number of each object saved, and which one was being saved when the database
refused it. An object Django could not build, or a reference Django could not resolve once everything
was loaded, never reaches those signals, and Django's rollback has taken back everything before it by
the time we hear of it: the load is then replayed up to that point, in a transaction rolled back as well,
to look its references up as Django did.
"""

import io
import json
import os
from contextlib import contextmanager
from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, transaction
from django.db.models.signals import post_save, pre_save


class Command(BaseCommand):
    help = (
        "Load JSON fixture files, in the order given: all of them or nothing, every object validated, a failure "
        "named by file and object. Django's loaddata does the loading."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="A JSON fixture file (dumpdata's format).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to load into.")

    def handle(self, *args, files, database, verbosity, **options):
        fixtures = [Fixture.read(path) for path in files]
        loading = Loading(fixtures, database)
        output = io.StringIO()  # Django's "Installed N object(s)", shown only once every object passed.
        try:
            with transaction.atomic(using=database), loading.followed():
                call_command(
                    "loaddata", *(fixture.path for fixture in fixtures),
                    database=database, verbosity=verbosity, stdout=output,
                )
                loading.validate()
        except DeserializationError as error:
            raise CommandError(explain(fixtures, database, len(loading.saved), error)) from error
        except (DatabaseError, ValueError) as error:  # psycopg refuses NUL characters with a ValueError
            if loading.current is not None:
                raise CommandError(f"{loading.current}: {django_words(error, loading.current)}") from error
            if isinstance(error, ValueError):
                raise
            # Not one object's fault: foreign keys checked after loading, or a check deferred to the commit.
            raise CommandError(f"Could not load {names(fixtures)}: {error}") from error
        self.stdout.write(output.getvalue(), ending="")


class Fixture:
    """A fixture file as written: its path and its entries, read before Django reads it."""

    def __init__(self, path, entries):
        self.path, self.entries = path, entries

    @classmethod
    def read(cls, path):
        path = os.path.abspath(path)
        if not os.path.isfile(path):
            raise CommandError(f"No fixture file at {display_path(path)}.")
        if not path.endswith(".json"):
            raise CommandError(f"{display_path(path)}: not a JSON fixture (its name must end in .json).")
        try:
            with open(path, "rb") as file:
                entries = json.loads(file.read().decode())  # As Django's JSON deserializer reads it.
        except ValueError as error:  # Not JSON, or not UTF-8.
            raise CommandError(f"{display_path(path)}: not a valid fixture ({error})") from error
        if not isinstance(entries, list):
            raise CommandError(f"{display_path(path)}: not a valid fixture (not a list of objects)")
        for number, entry in enumerate(entries, 1):
            if not isinstance(entry, dict):
                raise CommandError(f"{display_path(path)}, object {number}: not an object but {json.dumps(entry)[:80]}")
        return cls(path, entries)

    def places(self):
        """A Place for each entry, numbered from 1 as an editor counts them."""
        return [Place(self.path, number, entry) for number, entry in enumerate(self.entries, 1)]


class Place:
    """Where an object comes from: its file, its number in it and its entry there; once saved, the instance."""

    def __init__(self, path, number, entry):
        self.path, self.number, self.entry = path, number, entry
        self.instance = None

    @property
    def fields(self):
        fields = self.entry.get("fields")
        return fields if isinstance(fields, dict) else {}  # Anything else, Django refuses.

    def __str__(self):
        where = f"{display_path(self.path)}, object {self.number}"
        if self.instance is None:  # Django could not build it.
            return f"{where} ({self.entry.get('model')})"
        # A name from the object's own columns, never a query: after a database error, PostgreSQL
        # refuses every statement until the rollback.
        instance = self.instance
        name = next((getattr(instance, attr) for attr in ("slug", "title", "name") if getattr(instance, attr, "")), "")
        return f"{where} ({instance._meta.label_lower}{f' “{name}”' if name else ''})"

    def references(self, deferred_only=False):
        """(field, value as written) for each relation in the entry that names an object.

        deferred_only: those Django may have left to resolve at the end (by natural key, and not resolved
        when the object was saved): a primary key is taken as written, checked by the database.
        """
        model = self.instance._meta.model if self.instance is not None else entry_model(self.entry)
        pairs = []
        for name, value in self.fields.items():
            try:
                field = model._meta.get_field(name) if model else None
            except FieldDoesNotExist:
                continue
            if field is None or not field.is_relation or value is None:
                continue
            if deferred_only:
                if field.many_to_many:
                    value = [key for key in value if isinstance(key, list)] if isinstance(value, list) else []
                    if not value:
                        continue
                elif not isinstance(value, list) or getattr(self.instance, field.attname) is not None:
                    continue
            pairs.append((field, value))
        return pairs


class Loading:
    """One run of loaddata over these fixtures, followed through pre_save and post_save (raw=True)."""

    def __init__(self, fixtures, using, stop_after=None, stop=None):
        self.places = [place for fixture in fixtures for place in fixture.places()]
        self.using = using
        self.saved = []  # The places of the objects saved, in loading order, each with its instance.
        self.current = None  # The place of the object being saved.
        # The same on its first save: loaddata saves again those whose references it resolved at the end.
        self.adding = None
        self.by_instance = {}  # id(instance) → place; the instances stay alive in self.saved.
        # A replay (explain()) calls stop(self) once this many objects are saved.
        self.stop_after, self.stop = stop_after, stop

    @contextmanager
    def followed(self):
        pre_save.connect(self.pre_save)
        post_save.connect(self.post_save)
        try:
            yield
        finally:
            pre_save.disconnect(self.pre_save)
            post_save.disconnect(self.post_save)

    def pre_save(self, sender, instance, raw, using, **kwargs):
        if not raw or using != self.using:
            return
        if instance._state.adding and len(self.saved) < len(self.places):
            place = self.adding = self.places[len(self.saved)]
            place.instance = instance
            self.by_instance[id(instance)] = place
            # A required reference Django could not resolve: the insert would only say "NOT NULL constraint
            # failed" (and, on PostgreSQL, abort the transaction before the cause could be looked up).
            written = place.fields
            unresolved = [
                (field, written[field.name]) for field in required_references(sender)
                if getattr(instance, field.attname) is None and written.get(field.name) is not None
            ]
            if unresolved:
                raise CommandError(f"{place}: {'; '.join(reference_problems(unresolved))}")
        self.current = self.by_instance.get(id(instance))

    def post_save(self, sender, instance, raw, using, **kwargs):
        if not raw or using != self.using:
            return
        if self.adding is not None and self.adding.instance is instance:
            self.saved.append(self.adding)
        self.current = self.adding = None
        if self.stop is not None and len(self.saved) == self.stop_after:
            self.stop(self)

    def validate(self):
        """full_clean() of every object saved, less what the database enforced: a CommandError listing failures."""
        problems = []
        for place in self.saved:
            try:
                clean_beyond_database(place.instance)
            except ValidationError as error:
                problems.append(f"{place}: {describe_validation_error(error)}")
        if problems:
            raise CommandError("Invalid data, nothing was loaded:\n" + "\n".join(problems))


class Explained(Exception):  # noqa: N818 - not an error: how a replay ends once it has found the cause.
    def __init__(self, message):
        super().__init__(message)
        self.message = message  # loaddata rewrites the args of what passes through it.


def explain(fixtures, using, saved, error):
    """The message for a DeserializationError after `saved` objects: which object, and what is wrong with it.

    Before the last object was saved, Django could not build the next one (a reference in its natural key
    to nothing, an unknown field or model, a value of the wrong type); after, it could not resolve a
    reference it had left for the end. References are looked up in a replay of the load up to that point.
    """
    places = Loading(fixtures, using).places
    if saved < len(places):
        place = places[saved]
        if not place.references():
            return f"{place}: {django_words(error, place)}"

        def find(replay):
            problems = reference_problems(place.references(), using)
            raise Explained(f"{place}: {'; '.join(problems) or django_words(error, place)}")

    else:

        def find(replay):
            for place in replay.saved:
                problems = reference_problems(place.references(deferred_only=True), using, searched="in the fixtures")
                if problems:
                    raise Explained(f"{place}: {'; '.join(problems)}")
            raise Explained(f"Could not load {names(fixtures)}: {django_words(error)}")

    replay = Loading(fixtures, using, stop_after=saved, stop=find)
    try:
        with transaction.atomic(using=using):
            if saved == 0:
                find(replay)
            with replay.followed():
                call_command("loaddata", *(fixture.path for fixture in fixtures), database=using, verbosity=0)
    except Explained as explained:
        return explained.message
    except (DeserializationError, DatabaseError, ValueError):
        pass  # The replay failed elsewhere: say what Django said the first time.
    return f"Could not load {names(fixtures)}: {django_words(error)}"


def django_words(error, place=None):
    """What Django or the database says is wrong, without the prefixes loaddata puts before it."""
    if error.__cause__ is not None:  # The database's own words, or what Django met while building the object.
        return str(error.__cause__)
    message = str(error)
    if place is not None:
        message = message.removeprefix(f"Problem installing fixture '{place.path}': ")
        if place.instance is not None:
            instance = place.instance
            message = message.removeprefix(f"Could not load {instance._meta.label}(pk={instance.pk}): ")
    return message


def clean_beyond_database(instance):
    """full_clean(), less what the database has just enforced on this object in this transaction.

    Unique and check constraints held when the row was saved, and loaddata has checked that every
    reference exists; checking them again would cost queries for every object of every fixture (and
    the tests load fixtures hundreds of times). What the database cannot enforce remains: lengths on
    SQLite, validators, choices, limit_choices_to and the model's clean().
    """
    instance.full_clean(exclude=enforced_relations(type(instance)), validate_unique=False, validate_constraints=False)


@cache
def enforced_relations(model):
    return [field.name for field in model._meta.fields if field.is_relation and not field.get_limit_choices_to()]


@cache
def required_references(model):
    """The model's foreign keys that may not be empty."""
    return [field for field in model._meta.concrete_fields if field.many_to_one and not field.null]


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


def entry_model(entry):
    try:
        return apps.get_model(entry["model"])
    except (LookupError, KeyError, TypeError, ValueError):
        return None


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


def names(fixtures):
    return ", ".join(display_path(fixture.path) for fixture in fixtures)


def display_path(path):
    """A fixture's path relative to the working directory when it lies inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative
