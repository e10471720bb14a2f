"""``{% qr_svg url %}`` (core/templatetags/qr.py): the address as a QR code on a page, drawn
inline (no script, nothing fetched), with the address as its text alternative."""

import io
import re

import segno
from django.template import Context, Template


def render(url):
    return Template("{% load qr %}{% qr_svg url %}").render(Context({"url": url}))


def test_it_draws_an_inline_svg_named_by_the_address():
    svg = render("http://192.168.1.20:8000/")
    assert svg.startswith("<svg ") and svg.rstrip().endswith("</svg>")
    assert 'role="img"' in svg
    assert 'aria-label="Code QR de l&#x27;adresse http://192.168.1.20:8000/"' in svg
    assert "<title>Code QR de l&#x27;adresse http://192.168.1.20:8000/</title>" in svg
    assert "<script" not in svg and "href" not in svg and "<image" not in svg


def test_it_encodes_the_address_it_names():
    """The modules drawn are those of the address itself, untouched by the page's escaping."""
    url = "http://[fd00::2]:8080/?classe=4e&b"
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="svg", scale=1, border=4)
    modules = re.search(r'stroke="#000" d="([^"]+)"', out.getvalue().decode()).group(1)
    assert f'd="{modules}"' in render(url)


def test_an_address_cannot_break_out_of_its_label():
    svg = render('http://x/"><script>alert(1)</script>')
    assert "<script>" not in svg
    assert re.search(r'aria-label="[^"]*&quot;&gt;&lt;script&gt;', svg)


def test_without_an_address_it_draws_the_one_pupils_type(rf, settings):
    settings.PUBLIC_URL = "http://10.0.0.5:8080"
    svg = Template("{% load qr %}{% qr_svg %}").render(Context({"request": rf.get("/")}))
    assert "adresse http://10.0.0.5:8080/" in svg
    settings.PUBLIC_URL = ""
    svg = Template("{% load qr %}{% qr_svg %}").render(Context({"request": rf.get("/")}))
    assert "adresse http://testserver/" in svg
