"""The letters a school hands out, with the provisional password: one, two or four per A4 page.

Made at issuing time only, from the passwords held in memory; never stored (docs/securite.md).
"""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.validators import password_rules
from families.models import ParentLink
from schools.models import Enrolment, Role


class LettersUnavailable(Exception):
    pass


def letters_pdf(issued, portal_url, *, per_page=1) -> bytes:
    """The PDF of ``issued``'s letters, ``per_page`` (1, 2 or 4) on each A4 page."""
    try:
        from weasyprint import HTML
    except OSError as exc:  # Pango missing on the machine
        raise LettersUnavailable(
            _(
                "Impossible de produire le PDF : WeasyPrint a besoin de Pango "
                "(paquet Debian libpango-1.0-0)."
            )
        ) from exc
    return HTML(string=letters_html(issued, portal_url, per_page=per_page)).write_pdf()


def letters_html(issued, portal_url, *, per_page=1) -> str:
    """The HTML the PDF is made from (tests/staff/test_letter_rules.py measures its layout)."""
    # New people's letters are printed before they are saved: their enrolment comes with them.
    saved = [item.user for item in issued if item.enrolment is None]
    enrolments = {
        e.user_id: e
        for e in Enrolment.objects.current()
        .filter(user__in=saved)
        .select_related("establishment", "school_class")
        .order_by("enrolled_at")
    }
    children = _children_of_parents([item.user for item in issued if item.user.role == Role.PARENT])
    letters = [
        {
            "issued": item,
            "enrolment": item.enrolment or enrolments.get(item.user.pk),
            "children": children.get(item.user.pk, []),
            # The rules the activation form lists and the server applies to this person's new
            # password, from the same source: a letter never announces fewer. A pupil's letter
            # says « tu » throughout, its rules too.
            "rules": [
                rule.text
                for rule in password_rules(item.user, informal=item.user.role != Role.PARENT)
            ],
        }
        for item in issued
    ]
    return render_to_string(
        "staff/letters.html",
        {
            # One block per sheet of paper: the letters never straddle two sheets.
            "sheets": [letters[i : i + per_page] for i in range(0, len(letters), per_page)],
            "per_page": per_page,
            "portal_url": portal_url,
            "printed_at": timezone.localtime(),
        },
    )


def _children_of_parents(parents):
    """{parent pk: [(child, enrolment)]}: a parent's letter lists the children it is for."""
    if not parents:
        return {}
    links = (
        ParentLink.objects.standing()
        .filter(parent__in=[p.pk for p in parents], child__departed_at__isnull=True)
        .select_related("child")
        .order_by("child__first_name")
    )
    enrolments = {
        e.user_id: e
        for e in Enrolment.objects.current()
        .filter(user__in=[link.child_id for link in links], role=Role.PUPIL)
        .select_related("establishment", "school_class")
    }
    found = {}
    for link in links:
        found.setdefault(link.parent_id, []).append((link.child, enrolments.get(link.child_id)))
    return found
