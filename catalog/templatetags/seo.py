"""What search engines and link previews read: the description, canonical URL, Open Graph and Twitter card
tags, and JSON-LD structured data of the catalog's pages. Every URL they give is absolute."""

import html
import re

from django import template
from django.conf import settings
from django.utils.html import format_html

from catalog import structured_data

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's absolute URL without its query string, except the page number of a paginated list."""
    request = context.get("request")
    if request is None:
        return ""
    number = getattr(context.get("page_obj"), "number", 1)
    return request.build_absolute_uri(f"{request.path}?page={number}" if number > 1 else request.path)


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """A path made absolute with the request's scheme and host: {% url 'sitemap' as path %}{% absolute_url path %}."""
    return context["request"].build_absolute_uri(path)


@register.tag
def description(parser, token):
    """{% description %}…{% enddescription %}: the page's summary as the meta description, and as the
    description of its Open Graph and Twitter card, written once."""
    nodelist = parser.parse(("enddescription",))
    parser.delete_first_token()
    return DescriptionNode(nodelist)


class DescriptionNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        # Rendered text is already escaped; unescape it so format_html escapes it exactly once.
        text = re.sub(r"\s+", " ", html.unescape(self.nodelist.render(context))).strip()
        return format_html(
            '<meta name="description" content="{0}">\n'
            '  <meta property="og:description" content="{0}">\n'
            '  <meta name="twitter:description" content="{0}">',
            text,
        )


@register.inclusion_tag("includes/open_graph.html", takes_context=True)
def open_graph(context, title="", type="website", image=None, image_alt="", published_time=None):
    """Open Graph and Twitter card tags: og:title defaults to the site's name, og:url is the canonical URL.

    `image` is an ImageField's file; its stored width and height are given without opening it.
    """
    request = context.get("request")
    data = {
        "site_name": settings.SITE_NAME,
        "title": title or settings.SITE_NAME,
        "type": type,
        "url": canonical_url(context),
        "published_time": published_time,
    }
    if image and request is not None:
        data |= {
            "image": request.build_absolute_uri(image.url),
            "image_alt": image_alt,
            "image_width": getattr(image.instance, image.field.width_field or "", None),
            "image_height": getattr(image.instance, image.field.height_field or "", None),
        }
    return data


@register.simple_tag(takes_context=True)
def json_ld(context, data):
    """The page's schema.org description (its view's `structured_data`, catalog/views.py StructuredDataMixin) as a
    JSON-LD script; nothing for a page without one."""
    request = context.get("request")
    return structured_data.script(data, request) if data and request is not None else ""
