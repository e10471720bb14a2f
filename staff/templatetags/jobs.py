"""The two lines a confirming form needs to start a long action on letters (staff/jobs.py):

    {% load jobs %}
    <form method="post" action="…">{% csrf_token %}{% job_token %}{% letters_layout %}…</form>

``job_token``: the one-time token (a second POST of the same form re-issues nothing);
``letters_layout``: the « 1, 2 ou 4 courriers par page » choice (1 by default).
"""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html

from staff import jobs

register = template.Library()


@register.simple_tag(takes_context=True)
def job_token(context):
    return format_html(
        '<input type="hidden" name="{}" value="{}">',
        jobs.TOKEN_FIELD,
        jobs.new_token(context["request"]),
    )


@register.simple_tag
def letters_layout():
    return render_to_string("staff/_letters_layout.html", {"field": jobs.LAYOUT_FIELD})
