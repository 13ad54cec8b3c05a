"""Helpers to read rendered pages the way a visitor or an editor would: by their elements and text."""

import re
from html.parser import HTMLParser

VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
}


class Element:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = {name: (value if value is not None else "") for name, value in attrs}
        self.parent = parent
        self.children = []

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"

    @property
    def classes(self):
        return self.attrs.get("class", "").split()

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag=None, *, id=None, class_=None, **attrs):
        """Descendants matching the tag, id, one of their classes and attribute values."""
        return [
            element for element in self.iter()
            if (tag is None or element.tag == tag)
            and (id is None or element.attrs.get("id") == id)
            and (class_ is None or class_ in element.classes)
            and all(element.attrs.get(name.replace("_", "-")) == value for name, value in attrs.items())
        ]

    def find(self, tag=None, **kwargs):
        found = self.find_all(tag, **kwargs)
        return found[0] if found else None

    @property
    def text(self):
        """The text as a reader sees it: entities decoded, whitespace collapsed."""
        parts = []

        def walk(element):
            for child in element.children:
                if isinstance(child, str):
                    parts.append(child)
                elif child.tag not in ("script", "style", "template"):
                    parts.append(" " if child.tag in BLOCKISH else "")
                    walk(child)
                    parts.append(" " if child.tag in BLOCKISH else "")

        walk(self)
        return re.sub(r"\s+", " ", "".join(parts)).strip()


BLOCKISH = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "section",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "option",
}


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", [])
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.stack[-1])
        self.stack[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        element = Element(tag, attrs, self.stack[-1])
        self.stack[-1].children.append(element)

    def handle_endtag(self, tag):
        # Close up to the matching open element; a stray end tag is ignored, as browsers do.
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html):
    """The page as a tree of Elements."""
    if isinstance(html, bytes):
        html = html.decode()
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def page(response):
    return parse(response.content.decode())


def text_of(response):
    """Everything a visitor reads on the page, whitespace collapsed."""
    return parse(response.content.decode()).text


def form_data(html, form_id=None):
    """The data a browser would submit for a form as rendered (without files and submit buttons).

    Empty-form templates of admin inlines (names with __prefix__) are left out: the browser's
    JavaScript only copies them when an editor adds a row. Multiple selects give lists.
    """
    root = parse(html)
    form = root.find("form", id=form_id) if form_id else root.find("form", method="post")
    assert form is not None, f"no form {form_id or 'with method=post'} on the page"
    data = {}
    for element in form.iter():
        name = element.attrs.get("name")
        if not name or "__prefix__" in name or "disabled" in element.attrs:
            continue
        if element.tag == "input":
            kind = element.attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio") and "checked" not in element.attrs:
                continue
            default = "on" if kind in ("checkbox", "radio") else ""
            data[name] = element.attrs.get("value", default)
        elif element.tag == "textarea":
            text = "".join(child for child in element.children if isinstance(child, str))
            data[name] = text[1:] if text.startswith("\n") else text
        elif element.tag == "select":
            options = element.find_all("option")
            chosen = [option.attrs.get("value", option.text) for option in options if "selected" in option.attrs]
            if "multiple" in element.attrs:
                data[name] = chosen
            elif chosen:
                data[name] = chosen[-1]
            elif options:
                data[name] = options[0].attrs.get("value", options[0].text)
    return data


def get_page(client, url, **params):
    """GET a page that must answer 200, parsed."""
    response = client.get(url, params)
    assert response.status_code == 200, url
    return parse(response.content)


def linked(root, obj):
    """Whether the page links to the object's own page."""
    return root.find("a", href=obj.get_absolute_url()) is not None


def assert_changelist_queries_fixed(client, url, add_rows, django_assert_max_num_queries):
    """A changelist costs no more queries with 32 rows than with 2 (a missed select_related shows here)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    add_rows(2)
    client.get(url)  # warm up: the session and the content types are read once
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 2

    add_rows(30)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.context["cl"].result_count >= 32
