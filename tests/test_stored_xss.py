"""Stored XSS: hostile text in every field an editor can fill comes out as text wherever it is shown.

The fields are found by introspecting the catalog and reviews models, so a new field is covered without
touching this file. Every public page type, the feeds, the sitemap, the JSON-LD, the admin's changelists,
change, history and delete pages, its index (recent actions) and its success messages are rendered through
the real URLs and parsed: no element or event handler may come from a payload, and every field's payload
must be found intact as text somewhere, which proves the field was rendered and escaped, not dropped.

No field takes formatted text: descriptions, biographies and article bodies are plain text shown with
`linebreaks`, so nothing is sanitized (no nh3); everything is escaped.
"""

import json
import re
import xml.etree.ElementTree as ET
from collections import defaultdict

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from catalog.fields import PartialDateField, WebURLField
from tests import factories
from tests.pages import form_data, parse

pytestmark = pytest.mark.django_db

APPS = ("catalog", "reviews")
POST_ONLY = {"reviews:article-view"}  # the article page's view beacon: no page to render
# One payload breaks out of text into an element, the other out of an attribute into an event handler.
PAYLOADS = {
    "script": '<script>alert("{marker}")</script>',
    "attribute": '"><img src=x onerror=alert("{marker}")>',
}
# For a field too short for those: still a tag with a handler.
SHORT_PAYLOAD = "<b onclick=f{field}>"
MARKER = "f{field}o{pk}"
# Text fields with a format of their own, which no markup can pass: their validators must refuse it.
FORMATTED_FIELDS = {
    "catalog.Film.imdb_id": "an IMDb id, tt and digits",
    "catalog.EditionTrack.side": "four characters: no tag with a handler fits",
}
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "data", "xlink:href")


def text_fields():
    """Every (model, field) an editor fills with free text in the catalog and reviews apps."""
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields():
                if (
                    isinstance(field, models.CharField | models.TextField)
                    and field.editable
                    and not field.choices
                    and not isinstance(field, models.SlugField | models.URLField | PartialDateField)
                ):
                    yield model, field


def label(model, field):
    return f"{model._meta.label}.{field.name}"


@pytest.fixture
def one_of_each(reception):
    """The fixtures, plus one object made by its factory of each model they have none of (charts)."""
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            factory = getattr(factories, f"{model.__name__}Factory", None)
            if factory and not model.objects.exists():
                factory()
    return reception


def fill(kind):
    """Writes a payload into every text field of every object; returns {field label: [payloads written]}.

    Each value first passes the field's own validation, as in an editor's form, so no field holds what an
    editor could not type. A field that refuses every payload must be one of FORMATTED_FIELDS.
    """
    written = defaultdict(list)
    refused = set()
    for number, (model, field) in enumerate(text_fields()):
        for obj in model.objects.all():
            marker = MARKER.format(field=number, pk=obj.pk)
            for value in (PAYLOADS[kind].format(marker=marker), SHORT_PAYLOAD.format(field=number)):
                try:
                    field.clean(value, obj)
                except ValidationError:
                    continue
                model.objects.filter(pk=obj.pk).update(**{field.name: value})
                written[label(model, field)].append(value)
                break
            else:
                refused.add(label(model, field))
    assert refused == set(FORMATTED_FIELDS)
    return written


# Reading what was rendered ------------------------------------------------------------------------------


def hostile_markup(root, where):
    """Elements and attributes on the page that only a payload could have made."""
    found = []
    for element in root.iter():
        handlers = [name for name in element.attrs if name.startswith("on")]
        if handlers:
            found.append(f"{where}: <{element.tag} {handlers}>")
        if element.tag == "img" and element.attrs.get("src") == "x":
            found.append(f"{where}: <img src=x>")
        for name in URL_ATTRIBUTES:
            if re.sub(r"\s", "", element.attrs.get(name, "")).lower().startswith("javascript:"):
                found.append(f"{where}: {name}={element.attrs[name]!r}")
        if element.tag == "script":
            body = "".join(child for child in element.children if isinstance(child, str))
            if element.attrs.get("type") == "application/ld+json":
                if "<" in body:
                    found.append(f"{where}: an unescaped < in JSON-LD")
            elif "alert" in body:
                found.append(f"{where}: <script>{body[:80]}")
    return found


def strings_of(value):
    """Every string inside parsed JSON."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_of(item)


def texts_of(root):
    """What the page says as text: text nodes, attribute values and the strings of its JSON-LD."""
    for element in root.iter():
        yield from element.attrs.values()
        body = [child for child in element.children if isinstance(child, str)]
        if element.tag == "script" and element.attrs.get("type") == "application/ld+json":
            yield from strings_of(json.loads("".join(body)))
        elif element.tag not in ("script", "style"):
            yield from body


class Reader:
    """Reads every response like a browser or a feed reader would and keeps what it found."""

    def __init__(self):
        self.hostile = []
        self.texts = []
        self.pages = set()

    def html(self, response, where):
        assert response.status_code == 200, f"{where}: {response.status_code}"
        self.read_html(response.content.decode(), where)

    def read_html(self, html, where):
        root = parse(html)
        self.hostile += hostile_markup(root, where)
        self.texts += texts_of(root)

    def xml(self, response, where):
        """A feed or the sitemap: it must parse; in RSS, titles and descriptions are HTML to readers, in Atom
        what says type="html"; the rest is text."""
        assert response.status_code == 200, f"{where}: {response.status_code}"
        root = ET.fromstring(response.content)
        for element in root.iter():
            name = element.tag.rsplit("}", 1)[-1]
            is_html = element.get("type") == "html" or (root.tag == "rss" and name in ("title", "description"))
            if is_html:
                self.read_html(element.text or "", f"{where} <{name}>")
            else:
                self.texts += [element.text or "", *element.attrib.values()]

    def get(self, client, url, where=None):
        response = client.get(url)
        where = where or url
        if response["Content-Type"].startswith(("application/rss+xml", "application/atom+xml", "application/xml")):
            self.xml(response, where)
        else:
            self.html(response, where)
        self.pages.add(resolve(url.split("?")[0]).view_name)
        return response

    def unseen(self, written):
        """The fields none of whose payloads was found whole as text."""
        text = "\n".join(self.texts)
        return sorted(field for field, values in written.items() if not any(value in text for value in values))


# The pages ----------------------------------------------------------------------------------------------


def public_patterns():
    """(namespace:name, route) of every public URL of the catalog and reviews apps."""
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace in APPS:
            for pattern in entry.url_patterns:
                assert isinstance(pattern, URLPattern)
                if f"{entry.namespace}:{pattern.name}" not in POST_ONLY:
                    yield f"{entry.namespace}:{pattern.name}", str(pattern.pattern)


def visible(model):
    manager = model._default_manager
    return manager.published() if hasattr(manager, "published") else manager.all()


def public_urls():
    """Every list page; every object's own page; every other page of an object (its feeds), for every object
    whose own page is the route's first segment and its slug (albums/<slug>/reviews/feed/ is an album's)."""
    objects = [
        obj for model in apps.get_models()
        if model._meta.app_label in APPS and hasattr(model, "get_absolute_url") for obj in visible(model)
    ]
    urls = {obj.get_absolute_url().split("#")[0] for obj in objects}
    for name, route in public_patterns():
        if "<" not in route:
            urls.add(reverse(name))
            continue
        prefix = "/" + route.split("/")[0] + "/"
        urls |= {
            reverse(name, kwargs={"slug": obj.slug})
            for obj in objects if obj.get_absolute_url() == f"{prefix}{getattr(obj, 'slug', '')}/"
        }
    return sorted(urls)


def admin_urls():
    """Each catalog and reviews model's changelist, and its first object's change, history and delete pages."""
    for model in admin.site._registry:
        if model._meta.app_label not in APPS:
            continue
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield reverse(f"{prefix}_changelist")
        obj = model.objects.first()
        if obj is not None:
            for view in ("change", "history", "delete"):
                yield reverse(f"{prefix}_{view}", args=[quote(obj.pk)])


# The tests ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(PAYLOADS))
def test_no_payload_is_rendered_as_markup(editor_client, visitor, one_of_each, kind):
    written = fill(kind)
    assert set(written) == {label(*field) for field in text_fields()} - set(FORMATTED_FIELDS), "an object of each"
    reader = Reader()

    # An editor saves each kind of object through its admin form, as typed: the form accepts the values,
    # and the success message, which names the object, shows its name as text.
    for model in admin.site._registry:
        obj = model.objects.first() if model._meta.app_label in APPS else None
        if obj is None:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[quote(obj.pk)])
        data = form_data(editor_client.get(url).content, form_id=f"{model._meta.model_name}_form")
        response = editor_client.post(url, data, follow=True)
        messages = [parse(str(message)).text for message in response.context["messages"]]  # HTML, as shown
        assert any(str(obj) in message for message in messages), (url, messages, response.context.get("errors"))
        reader.html(response, f"{url} (after saving)")

    for url in public_urls():
        reader.get(visitor, url)
    for url in ("/search/?q=alert", reverse("sitemap"), reverse("robots")):
        reader.get(visitor, url)
    for url in [reverse("admin:index"), *admin_urls()]:
        reader.get(editor_client, url)

    assert reader.hostile == []
    assert reader.unseen(written) == []
    untested = {name for name, route in public_patterns()} - reader.pages
    assert untested == set(), "every public page type is rendered"


def test_json_ld_escapes_angle_brackets(visitor, reception):
    fill("script")
    response = visitor.get(reception.get_absolute_url())
    (script,) = parse(response.content.decode()).find_all("script", type="application/ld+json")
    body = "".join(script.children)
    assert "<" not in body and "\\u003C" in body
    assert '<script>alert("' in json.loads(body)["name"]


@pytest.mark.parametrize("value", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "javascript://example.com/%0Aalert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "ftp://example.com/file", "file:///etc/passwd",
])
def test_url_fields_accept_web_addresses_only(value):
    fields = [field for app in APPS for model in apps.get_app_config(app).get_models()
              for field in model._meta.get_fields() if isinstance(field, models.URLField)]
    assert fields and all(isinstance(field, WebURLField) for field in fields), "every URL field is a WebURLField"
    for field in fields:
        with pytest.raises(ValidationError):
            field.clean(value, None)
        with pytest.raises(ValidationError):
            field.formfield().clean(value)


def test_url_fields_take_http_and_https(reception):
    review = reception.reviews.first()
    field = review._meta.get_field("url")
    assert field.clean("http://example.com/a?b=1", review) == "http://example.com/a?b=1"
    assert field.formfield().clean("example.com/review") == "https://example.com/review"


def test_the_admin_refuses_a_javascript_url(editor_client, reception):
    review = reception.reviews.first()
    url = reverse("admin:reviews_review_change", args=[review.pk])
    data = form_data(editor_client.get(url).content, form_id="review_form") | {"url": "javascript:alert(1)"}
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "url" in response.context["adminform"].form.errors
    review.refresh_from_db()
    assert not review.url.startswith("javascript:")
