"""« Suivi des comptes »: who got stuck where, per establishment and class.

issued → activated → charter accepted → opened PRONOTE, with the letters about to expire and
the locked identifiers. For staff, in the admin (staff reads the other apps; none reads it).
"""

import csv
from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import lockout
from accounts.models import LifecycleState
from charter.models import Acceptance, Charter
from core.collation import collation_key, name_key
from pronote.models import FirstVisit
from schools.models import Enrolment, Role, SchoolClass
from schools.rules import people_managed_by
from staff import parents_funnel

STEPS = [
    ("issued", gettext_lazy("Courrier remis")),
    ("activated", gettext_lazy("Compte activé")),
    ("charter", gettext_lazy("Charte acceptée")),
    ("pronote", gettext_lazy("PRONOTE ouvert")),
]
# « expire dans moins de 15 jours »: strictly less than 15 days from now.
EXPIRING_DAYS = 15
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def step_of(state, enrolment):
    """The last step reached, from the account's state and the enrolment's annotations
    ``charter_ok`` and ``pronote_ok``. A new letter (re-issued, even after PRONOTE) starts the
    journey again."""
    if state != LifecycleState.ACTIVE:
        return "issued"
    if enrolment.pronote_ok:
        return "pronote"
    if enrolment.charter_ok:
        return "charter"
    return "activated"


def pupils(establishments, *, school_class=None, search=""):
    charter = Charter.objects.current()
    enrolments = (
        Enrolment.objects.current()
        .filter(establishment__in=establishments, role=Role.PUPIL, user__departed_at__isnull=True)
        .select_related("user", "establishment", "school_class")
        .annotate(
            charter_ok=Exists(Acceptance.objects.filter(user=OuterRef("user"), charter=charter))
            if charter
            else Exists(Acceptance.objects.none()),
            pronote_ok=Exists(FirstVisit.objects.filter(user=OuterRef("user"))),
        )
        .order_by("establishment__name", "school_class__division", "user__last_name")
    )
    if school_class:
        enrolments = enrolments.filter(school_class=school_class)
    if search:
        enrolments = enrolments.filter(
            Q(user__last_name__icontains=search)
            | Q(user__first_name__icontains=search)
            | Q(user__username__icontains=search)
        )
    soon = timezone.now() + timedelta(days=EXPIRING_DAYS)
    # By school, class, then name, in French order (« Élise » with the E, not after « Zoé »).
    enrolments = sorted(
        enrolments,
        key=lambda e: (
            collation_key(e.establishment.name),
            collation_key(e.school_class.division if e.school_class else ""),
            name_key(e.user.last_name, e.user.first_name),
        ),
    )
    locked = lockout.locked_identifiers(e.user.username for e in enrolments)
    rows = []
    for enrolment in enrolments:
        user = enrolment.user
        state = user.lifecycle_state()
        step = step_of(state, enrolment)
        rows.append(
            {
                "enrolment": enrolment,
                "user": user,
                "step": step,
                "expiring": state == LifecycleState.PROVISIONAL
                and user.provisional_expires_at < soon,
                "expired": state == LifecycleState.EXPIRED,
                "locked": user.username in locked,
            }
        )
    return rows


def counts(rows):
    order = [key for key, _label in STEPS]
    reached = dict.fromkeys(order, 0)
    for row in rows:
        for key in order[: order.index(row["step"]) + 1]:
            reached[key] += 1
    return [{"key": key, "label": label, "count": reached[key]} for key, label in STEPS]


def csv_download(name):
    """A response a spreadsheet opens as ``name``.csv (UTF-8 marked for Excel, « ; » between
    cells), and the csv writer that fills it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")  # so that Excel reads UTF-8
    return response, csv.writer(response, delimiter=";")


def safe_cell(value):
    """Spreadsheets run a cell that starts with = + - @ as a formula: never from our data."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def funnel_view(request, establishments):
    school_class = None
    class_id = request.GET.get("classe", "")
    if class_id.isascii() and class_id.isdigit():  # « ² » is a digit to Python, not to int()
        school_class = SchoolClass.objects.filter(
            pk=int(class_id), establishment__in=establishments
        ).first()
    search = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    step = request.GET.get("etape", "")
    rows = pupils(establishments, school_class=school_class, search=search)
    funnel = counts(rows)
    if step in dict(STEPS):
        rows = [row for row in rows if row["step"] == step]
    parent_rows = parents_funnel.parents(establishments, search=search)
    # A family that spans a school the staff member does not manage: no link to act on it.
    in_hands = set(
        people_managed_by(request.user)
        .filter(pk__in=[row["user"].pk for row in [*rows, *parent_rows]])
        .values_list("pk", flat=True)
    )
    for row in [*rows, *parent_rows]:
        row["in_hands"] = row["user"].pk in in_hands
    if request.GET.get("format") == "csv":
        return _csv(rows, parent_rows, parents_funnel.schools_of(establishments))
    labels = dict(STEPS)
    for row in rows:
        row["step_label"] = labels[row["step"]]
    return TemplateResponse(
        request,
        "admin/staff/funnel.html",
        {
            "title": _("Suivi des comptes"),
            "funnel": funnel,
            "rows": rows,
            "expiring": [row for row in rows if row["expiring"] and not row["expired"]],
            "locked": [row for row in rows if row["locked"]],
            "classes": SchoolClass.objects.filter(establishment__in=establishments)
            .select_related("establishment")
            .order_by("establishment__name", "division"),
            "school_class": school_class,
            "search": search,
            "step": step,
            "steps": STEPS,
            "query": request.GET.urlencode(),
            "parent_rows": parent_rows,
            "parent_counts": parents_funnel.counts(parent_rows),
            "reported_links": parents_funnel.reported_links(establishments),
        },
    )


def _csv(rows, parent_rows, parent_schools):
    """The pupils of the page, then its responsables (``parent_schools``: their establishments
    among the staff member's), one line each; every cell safe against formulas."""
    response, writer = csv_download("suivi-des-comptes")
    writer.writerow(
        [
            _("Établissement"),
            _("Classe"),
            _("Nom"),
            _("Prénom"),
            _("Identifiant"),
            _("Étape"),
            _("Courrier valable jusqu'au"),
            _("Blocage"),
            _("Profil"),
            _("Enfants rattachés"),
            _("Classe d'entraînement"),
        ]
    )
    labels = dict(STEPS)
    for row in rows:
        user, enrolment = row["user"], row["enrolment"]
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    enrolment.establishment.name,
                    enrolment.school_class.division if enrolment.school_class else "",
                    user.last_name,
                    user.first_name,
                    user.username,
                    labels[row["step"]],
                    f"{user.provisional_expires_at:%d/%m/%Y}"
                    if user.provisional_expires_at
                    else "",
                    _("oui") if row["locked"] else "",
                    _("Élève"),
                    "",
                    _("oui")
                    if enrolment.school_class and enrolment.school_class.practice
                    else _("non"),
                )
            ]
        )
    for row in parent_rows:
        user = row["user"]
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    parent_schools.get(user.pk, ""),
                    "",
                    user.last_name,
                    user.first_name,
                    user.username,
                    row["how_label"],
                    f"{user.provisional_expires_at:%d/%m/%Y}"
                    if user.provisional_expires_at
                    else "",
                    _("oui") if row["locked"] else "",
                    _("Responsable"),
                    row["children"],
                    "",
                )
            ]
        )
    return response
