"""The séance's live parts (the teacher's page, the admin's, the projector) answered 304 Not
Modified while no pupil of the class moved, written once: a poll that finds nothing new costs
the class's change stamp (staff/session.py) and nothing more."""

from django.http import HttpResponseNotModified
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.utils.translation import get_language

from staff import session


def live(request, school_class, render, *, can_help):
    """``render()`` (the fresh part) with its ETag, or a bare 304 when the browser's copy is
    still true. ``can_help``: whether the viewer's page shows help buttons (part of the stamp,
    so that two viewers never share one)."""
    viewer = (request.user.pk, can_help, get_language())
    etag = quote_etag(session.change_stamp(school_class, viewer=viewer))
    conditional = get_conditional_response(request, etag=etag)
    if conditional is not None and conditional.status_code == 304:
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = etag
        return not_modified
    response = render()
    response["ETag"] = etag
    return response
