"""``{% load qr %}{% qr_svg url %}``: the QR code of an address, drawn inline as SVG.

For the teacher's pages and the projector: pupils scan the address instead of typing it. No
script, no image fetched from anywhere (the page's policy allows neither); the code is a named
image whose text alternative is the address itself, for whoever cannot scan it.
"""

import io

import segno
from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.site import public_url

register = template.Library()


@register.simple_tag(takes_context=True)
def qr_svg(context, url=None, css_class="qr-code"):
    """An ``<svg role="img">`` of ``url``, sized by CSS (a viewBox, no width nor height).
    Without ``url``: the address pupils type (core/site.py), ``{% qr_svg %}``."""
    url = str(url or public_url(context.get("request")))
    label = escape(_("Code QR de l'adresse %(url)s") % {"url": url})
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        xmldecl=False,
        svgns=True,
        omitsize=True,
        scale=1,
        border=4,  # the quiet zone a phone needs around the code
        dark="#000",
        light="#fff",
        title=None,
        svgclass=None,
        lineclass=None,
    )
    drawing = out.getvalue().decode()
    opening = (
        f'<svg role="img" aria-label="{label}" class="{escape(css_class)}" '
        'focusable="false" shape-rendering="crispEdges" '
    )
    drawing = drawing.replace("<svg ", opening, 1)
    # The name also as the drawing's <title>, read by the browsers that skip aria-label on SVG.
    drawing = drawing.replace(">", f"><title>{label}</title>", 1)
    return mark_safe(drawing)  # noqa: S308 - segno's own markup; the address is escaped
