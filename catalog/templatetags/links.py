"""Django's {% url %}, except that a link to a row whose slug no URL can hold renders empty and is logged.

Installed as a template builtin (settings.TEMPLATES), so it replaces the default tag in every template: see
catalog/models/links.py for why. Parsing and rendering stay Django's own; only that one failure is caught.
"""

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch

from catalog.models.links import leave_out

register = template.Library()


class LinkNode(template.Node):
    def __init__(self, url_node):
        self.url_node = url_node

    def render(self, context):
        try:
            return self.url_node.render(context)
        except NoReverseMatch as error:
            node = self.url_node
            return leave_out(
                error,
                node.view_name.resolve(context),
                [arg.resolve(context) for arg in node.args],
                {name: value.resolve(context) for name, value in node.kwargs.items()},
            )


@register.tag
def url(parser, token):
    return LinkNode(defaulttags.url(parser, token))
