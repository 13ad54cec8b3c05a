"""Fuzzing the admin forms of albums, tracks and reviews: a form that validates always saves.

Each example takes the change (or add) page as an editor's browser posts it back, lets hypothesis change
a few of its fields, main form and inline rows alike, or make rows of an inline trade the values of their
unique constraints (swaps, chains, a deleted row's place), sometimes adds a row, and posts it through the
admin. The admin must either refuse with errors on the page or save and redirect; a database error
(an IntegrityError from a constraint the forms do not check) would escape as an exception and fail the
test. What was saved must also pass full_clean(). Each example is rolled back to a savepoint, so every
example starts from the same rows.
"""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from catalog.models import Album, Track
from reviews.models import Review
from tests import factories
from tests.fuzz.strategies import form_field_values
from tests.pages import form_data

pytestmark = pytest.mark.django_db

ADDED_ROWS = 1  # extra inline rows an example may fill in, per inline


@pytest.fixture
def rows():
    """An album with tracks on two discs, reviews, an edition and a source, and things to pick from."""
    label = factories.LabelFactory()
    album = factories.AlbumFactory(title="Fuzzed", label=label, length=datetime.timedelta(minutes=9))
    for disc, position in [(1, 1), (1, 2), (2, 1)]:
        track = factories.TrackFactory(album=album, disc=disc, position=position)
    factories.TrackArtistFactory(track=track, position=1)
    factories.TrackWriterFactory(track=track)
    publications = [factories.PublicationFactory() for _ in range(3)]
    reviews = [factories.ReviewFactory(album=album, publication=publication) for publication in publications[:2]]
    factories.EditionFactory(album=album, position=1)
    factories.SourceFactory(album=album, position=1)
    for _ in range(2):
        factories.AlbumFactory(label=factories.LabelFactory(), film=factories.FilmFactory())
        factories.ArtistFactory()
        factories.CriticFactory()
    return {"album": album, "track": track, "review": reviews[0], "publication": publications[2]}


def unique_key_fields(model):
    """The fields of a model's unique constraints: where rows trading values can collide."""
    names = {name for constraint in model._meta.constraints for name in getattr(constraint, "fields", ())}
    return sorted(names | {name for together in model._meta.unique_together for name in together})


def choices_of(field):
    """The values a choice field offers, read once: model choices by the key the form posts."""
    queryset = getattr(field, "queryset", None)
    if queryset is not None:
        return [str(value) for value in queryset.values_list(field.to_field_name or "pk", flat=True)[:10]]
    flat = []
    for value, label in getattr(field, "choices", ()):
        if isinstance(label, (list, tuple)):  # a group of choices
            flat.extend(inner for inner, _label in label)
        else:
            flat.append(value)
    return [str(value) for value in flat if value != ""]


def fuzzable(form, prefix=None):
    """{html name: strategy of {html name(s): value}} for the fields of one bound form."""
    fields = {}
    for name, field in form.fields.items():
        html_name = f"{prefix}-{name}" if prefix else form.add_prefix(name)
        strategy = form_field_values(html_name, field, choices_of(field))
        if strategy is not None:
            fields[html_name] = strategy
    return fields


class AdminPage:
    """A change or add page: the data its form posts as rendered, and what hypothesis may change in it."""

    def __init__(self, client, url, form_id, filled=None):
        response = client.get(url)
        assert response.status_code == 200, url
        self.url = url
        self.data = {**form_data(response.content, form_id=form_id), **(filled or {}), "_save": "Save"}
        self.fields = fuzzable(response.context["adminform"].form)
        self.inlines = []  # (management prefix, existing rows, {added row index: fields})
        self.columns = []  # [html names of one field in each existing row of an inline]
        for inline in response.context["inline_admin_formsets"]:
            formset = inline.formset
            for form in formset.forms:
                self.fields.update(fuzzable(form))
            for name in unique_key_fields(formset.model):
                column = [form.add_prefix(name) for form in formset.forms if form.add_prefix(name) in self.data]
                if len(column) > 1:
                    self.columns.append(column)
            added = {
                len(formset.forms) + n: fuzzable(formset.empty_form, f"{formset.prefix}-{len(formset.forms) + n}")
                for n in range(ADDED_ROWS)
            }
            self.inlines.append((formset.prefix, len(formset.forms), added))

    def posts(self):
        """A strategy of POST data: a few fields changed, rows trading values, now and then a new inline row."""
        names = sorted(self.fields)
        changes = st.lists(st.sampled_from(names), max_size=5, unique=True).flatmap(
            lambda chosen: st.fixed_dictionaries({name: self.fields[name] for name in chosen})
        )
        if self.columns:
            changes = st.one_of(changes, self.trades())
        new_rows = st.lists(st.sampled_from(range(len(self.inlines))), max_size=2, unique=True) if self.inlines \
            else st.just([])
        return st.tuples(changes, new_rows).flatmap(self.with_new_rows)

    def trades(self):
        """Rows of an inline taking each other's values (a swap, a chain), some rows deleted: the
        rearrangements that must be saved in the right order, or refused."""
        def trade(column):
            held = [self.data[name] for name in column]
            shuffled = st.permutations(held).map(lambda values: dict(zip(column, values, strict=True)))
            some = st.lists(st.sampled_from(column), min_size=1, max_size=len(column), unique=True).flatmap(
                lambda names: st.fixed_dictionaries({name: st.sampled_from(held) for name in names}))
            return st.one_of(shuffled, some).map(lambda values: {name: {name: v} for name, v in values.items()})
        deletes = st.lists(st.sampled_from(sorted(name for name in self.fields if name.endswith("-DELETE"))),
                           max_size=1).map(lambda names: {name: {name: "on"} for name in names})
        return st.tuples(st.sampled_from(self.columns).flatmap(trade), deletes).map(lambda both: {**both[0], **both[1]})

    def with_new_rows(self, args):
        changes, inline_numbers = args
        rows = [st.just({})]
        total_forms = {}
        for number in inline_numbers:
            prefix, existing, added = self.inlines[number]
            for index, fields in added.items():
                rows.append(st.fixed_dictionaries(fields))
                total_forms[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
        return st.tuples(*rows).map(lambda filled: self.merged(changes, filled, total_forms))

    def merged(self, changes, new_rows, total_forms):
        data = {**self.data, **total_forms}
        for fragment in [*changes.values(), *(value for row in new_rows for value in row.values())]:
            data.update(fragment)
        return data


@pytest.fixture
def admin_page(editor_client, rows):
    """AdminPage(url, form id), read once per test: every example starts from the same rows."""
    pages = {}

    def page(url, form_id, filled=None):
        if url not in pages:
            pages[url] = AdminPage(editor_client, url, form_id, filled)
        return pages[url]

    return page


def assert_saved_or_refused(client, page, data, saved):
    """POST in a savepoint: a redirect and rows that pass full_clean(), or the form again with its errors."""
    with transaction.atomic():
        response = client.post(page.url, data)
        event("saved" if response.status_code == 302 else "refused")
        if response.status_code == 302:
            for obj in saved():
                obj.full_clean()
        else:
            assert response.status_code == 200, response.status_code
            assert b'class="errornote"' in response.content, "a 200 that is not a refusal"
        transaction.set_rollback(True)


def admin_url(obj_or_model, view):
    meta = obj_or_model._meta
    args = [obj_or_model.pk] if view == "change" else []
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


@given(data=st.data())
def test_album_form_with_its_inlines(editor_client, admin_page, rows, data):
    album = rows["album"]
    page = admin_page(admin_url(album, "change"), "album_form")

    def saved():
        fresh = Album.objects.get(pk=album.pk)
        related = [*fresh.tracks.all(), *fresh.editions.all(), *fresh.sources.all(), *fresh.reviews.all(),
                   *fresh.credits.all(), *fresh.samples.all(), *fresh.songs_in_film.all(), *fresh.chart_entries.all()]
        return [fresh, *related]

    assert_saved_or_refused(editor_client, page, data.draw(page.posts(), label="post"), saved)


@pytest.mark.parametrize("view", ["change", "add"])
@given(data=st.data())
def test_track_form(editor_client, admin_page, rows, view, data):
    track = rows["track"]
    # An add form starts filled in as an editor would, so that changing a few fields can still save.
    filled = {"album": str(track.album_id), "disc": "2", "position": "2", "title": "New"} if view == "add" else {}
    page = admin_page(admin_url(track if view == "change" else Track, view), "track_form", filled)

    def saved():
        tracks = Track.objects.filter(pk=track.pk) if view == "change" else Track.objects.exclude(pk__lte=track.pk)
        return [obj for each in tracks for obj in (each, *each.track_artists.all(), *each.track_writers.all())]

    assert_saved_or_refused(editor_client, page, data.draw(page.posts(), label="post"), saved)


@pytest.mark.parametrize("view", ["change", "add"])
@given(data=st.data())
def test_review_form(editor_client, admin_page, rows, view, data):
    review = rows["review"]
    filled = {"album": str(review.album_id), "publication": str(rows["publication"].pk), "date": "2003"}
    page = admin_page(admin_url(review if view == "change" else Review, view), "review_form",
                      filled if view == "add" else {})

    def saved():
        reviews = Review.objects.filter(pk=review.pk) if view == "change" else Review.objects.filter(pk__gt=review.pk)
        return list(reviews)

    assert_saved_or_refused(editor_client, page, data.draw(page.posts(), label="post"), saved)
