"""JSON-LD structured data of the reviews app's pages (the album's is {% album_json_ld %} in reception)."""

from django import template

from catalog.templatetags.seo import json_ld
from reviews import structured_data

register = template.Library()


@register.simple_tag(takes_context=True)
def best_of_list_json_ld(context, best_of, entries):
    """The list as an ItemList; `entries` is the page's own queryset of them, so it is read once."""
    return json_ld(context, structured_data.best_of_list, best_of, entries)


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    return json_ld(context, structured_data.article, article)


@register.simple_tag(takes_context=True)
def publication_json_ld(context, publication):
    return json_ld(context, structured_data.publication, publication)


@register.simple_tag(takes_context=True)
def critic_json_ld(context, critic, publications):
    return json_ld(context, structured_data.critic, critic, publications)
