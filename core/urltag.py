"""``{% url %}`` that reverses a constant link once per process, not on every page.

A page of the portal has fifteen to twenty links whose view name and arguments are written in
the template (menus, header, footer): Django reverses each of them at every render, a third of
a millisecond per page (bench, README « Performances »). This node keeps the answer of those,
keyed by what can change it (script prefix, URLconf, current application); links built from
variables are reversed as before. Registered as a template builtin (settings.TEMPLATES), so
every template's ``{% url %}`` is this one.
"""

from django import template
from django.conf import settings
from django.template.base import Variable
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, get_urlconf

register = template.Library()


def _constant(expression):
    return not isinstance(expression.var, Variable) and not expression.filters


class ConstantURLNode(URLNode):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.answers = {}

    def render(self, context):
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        key = (get_script_prefix(), urlconf, current_app, context.autoescape)
        try:
            url = self.answers[key]
        except KeyError:
            url = self.answers[key] = super().render(context)
        return url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    expressions = [node.view_name, *node.args, *node.kwargs.values()]
    if node.asvar or not all(_constant(e) for e in expressions):
        return node
    return ConstantURLNode(node.view_name, node.args, node.kwargs, node.asvar)
