from datetime import date, timedelta
from functools import wraps
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Exists, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from families.actions import children_of
from pronote.actions import do_record_first_visit
from pronote.grades import mean, on_twenty, weighted_average
from pronote.models import Evaluation, Homework, Mark, SchoolLifeEvent
from pronote.queries import has_visited, homework_subjects_by_day, lessons_by_weekday
from schools.current import current_enrolment, set_current_establishment
from schools.models import Enrolment, Role, SchoolClass

CHILD_KEY = "pronote_child_id"
SECTIONS = {
    "timetable": "pronote:timetable",
    "grades": "pronote:grades",
    "homework": "pronote:homework",
    "school_life": "pronote:school_life",
}


def _pupil_enrolment(pupil):
    return (
        Enrolment.objects.current()
        .filter(user=pupil, role=Role.PUPIL, school_class__isnull=False)
        .select_related("establishment", "school_class")
        .order_by("establishment__name")
        .first()
    )


def _parent_space(request, enrolment):
    """« Espace Parents »: the selected child (kept in the session, always one of the
    parent's own children: families.actions.children_of), their enrolment, and the others
    for the switcher. The child of the current establishment comes first by default."""
    children = list(children_of(request.user))
    wanted = request.session.get(CHILD_KEY)
    child = next((c for c in children if c.pk == wanted), None)
    if child is None:
        here = set(
            Enrolment.objects.current()
            .filter(user__in=children, establishment=enrolment.establishment, role=Role.PUPIL)
            .values_list("user_id", flat=True)
        )
        child = next((c for c in children if c.pk in here), children[0] if children else None)
    child_enrolment = _pupil_enrolment(child) if child is not None else None
    return child, child_enrolment, children


def pupil_space(view):
    """PRONOTE's pupil space: the current establishment's class of a pupil, after the first
    connection page; for a parent, the « Espace Parents »: the same pages, of the selected
    child. Others (teachers, staff) get a page that says what is simulated."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not has_visited(request.user):
            return redirect("pronote:home")
        enrolment = current_enrolment(request)
        if enrolment is not None and enrolment.role == Role.PARENT:
            child, child_enrolment, children = _parent_space(request, enrolment)
            if child_enrolment is None:
                return not_a_pupil(request, enrolment)
            space = {"pupil": child, "children": children, "parent_space": True}
            return view(request, child_enrolment, space, *args, **kwargs)
        if enrolment is None or enrolment.role != Role.PUPIL or enrolment.school_class is None:
            return not_a_pupil(request, enrolment)
        space = {"pupil": request.user, "children": [], "parent_space": False}
        return view(request, enrolment, space, *args, **kwargs)

    return wrapper


@require_POST
@login_required
def choose_child(request):
    """The child switcher of the « Espace Parents »: only one's own children; the ENT's
    current establishment follows the child."""
    enrolment = current_enrolment(request)
    if enrolment is None or enrolment.role != Role.PARENT:
        raise Http404
    wanted = request.POST.get("enfant", "")
    child = (
        children_of(request.user).filter(pk=int(wanted)).first()
        if wanted.isascii() and wanted.isdigit()
        else None
    )
    if child is None:
        messages.error(request, _("Cet élève ne fait pas partie de vos enfants."))
    else:
        request.session[CHILD_KEY] = child.pk
        child_enrolment = _pupil_enrolment(child)
        if child_enrolment is not None:
            set_current_establishment(request, child_enrolment.establishment_id)
    return redirect(SECTIONS.get(request.POST.get("rubrique"), "pronote:timetable"))


def not_a_pupil(request, enrolment):
    classes = (
        SchoolClass.objects.filter(establishment=enrolment.establishment).order_by("division")
        if enrolment
        else SchoolClass.objects.none()
    )
    return render(request, "pronote/not_a_pupil.html", {"enrolment": enrolment, "classes": classes})


@login_required
def home(request):
    """First connection page on the first visit; the timetable afterwards."""
    if request.method == "POST":
        do_record_first_visit(request.user)
        return redirect("pronote:timetable")
    if has_visited(request.user):
        return redirect("pronote:timetable")
    enrolment = current_enrolment(request)
    space = {"pupil": request.user, "children": [], "parent_space": False}
    if enrolment is not None and enrolment.role == Role.PARENT:
        # The « Espace Parents » from the first page on: the parent's name, the child shown.
        child, child_enrolment, children = _parent_space(request, enrolment)
        space = {"pupil": child, "children": children, "parent_space": True}
        enrolment = child_enrolment
    return render(request, "pronote/first_visit.html", {"enrolment": enrolment, **space})


def _monday(day):
    return day - timedelta(days=day.weekday())


def _parse_week(value):
    """« 2026-W48 » → the Monday of that ISO week, or None."""
    try:
        year, week = value.split("-W")
        if not 1900 <= int(year) <= 2100:  # and no date arithmetic overflow at the edges
            return None
        return date.fromisocalendar(int(year), int(week), 1)
    except (ValueError, AttributeError):
        return None


def _week_param(monday):
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


@pupil_space
def timetable(request, enrolment, space):
    today = timezone.localdate()
    # On Saturday and Sunday, PRONOTE shows the coming week.
    default = _monday(today + timedelta(days=2 if today.weekday() >= 5 else 0))
    monday = default
    if "semaine" in request.GET:
        monday = _parse_week(request.GET["semaine"])
        if monday is None:
            messages.warning(request, _("Semaine inconnue : voici la semaine en cours."))
            monday = default
    friday = monday + timedelta(days=4)
    lessons = lessons_by_weekday(enrolment.school_class_id)
    homework = homework_subjects_by_day(enrolment.school_class_id, monday, friday)
    days = [
        {
            "date": monday + timedelta(days=i),
            "lessons": lessons.get(i, []),
            "homework": homework.get(monday + timedelta(days=i), []),
            "is_today": monday + timedelta(days=i) == today,
        }
        for i in range(5)
    ]
    return render(
        request,
        "pronote/timetable.html",
        {
            "enrolment": enrolment,
            "days": days,
            "monday": monday,
            "friday": friday,
            "previous_week": _week_param(monday - timedelta(days=7)),
            "next_week": _week_param(monday + timedelta(days=7)),
            "week": _week_param(monday),
            "this_week": _week_param(default),
            "section": "timetable",
            **space,
        },
    )


@pupil_space
def grades(request, enrolment, space):
    pupil_marks = Mark.objects.filter(evaluation=OuterRef("pk"), pupil=space["pupil"])
    evaluations = (
        Evaluation.objects.filter(school_class=enrolment.school_class)
        .filter(Exists(pupil_marks))
        .annotate(
            class_average=Avg("marks__value"),
            pupil_value=Subquery(pupil_marks.values("value")[:1]),
        )
        .select_related("subject")
        .order_by("subject__name", "-date")
    )
    subjects = []
    for subject, items in groupby(evaluations, key=lambda e: e.subject):
        items = list(items)
        for item in items:
            item.pupil_on_twenty = (
                on_twenty(item.pupil_value, item.out_of) if item.pupil_value is not None else None
            )
            item.class_on_twenty = (
                on_twenty(item.class_average, item.out_of)
                if item.class_average is not None
                else None
            )
        subjects.append(
            {
                "subject": subject,
                "evaluations": items,
                "pupil_average": weighted_average(
                    (i.pupil_on_twenty, i.coefficient) for i in items
                ),
                "class_average": weighted_average(
                    (i.class_on_twenty, i.coefficient) for i in items
                ),
            }
        )
    return render(
        request,
        "pronote/grades.html",
        {
            "enrolment": enrolment,
            "subjects": subjects,
            "overall_pupil": mean(s["pupil_average"] for s in subjects),
            "overall_class": mean(s["class_average"] for s in subjects),
            "section": "grades",
            **space,
        },
    )


@pupil_space
def homework(request, enrolment, space):
    items = (
        Homework.objects.filter(
            school_class=enrolment.school_class, due_on__gte=timezone.localdate()
        )
        .select_related("subject")
        .order_by("due_on", "subject__name")
    )
    return render(
        request,
        "pronote/homework.html",
        {"enrolment": enrolment, "items": items, "section": "homework", **space},
    )


@pupil_space
def school_life(request, enrolment, space):
    events = list(SchoolLifeEvent.objects.filter(pupil=space["pupil"]).order_by("-starts_at"))
    return render(
        request,
        "pronote/school_life.html",
        {
            "enrolment": enrolment,
            "absences": [e for e in events if e.kind == SchoolLifeEvent.Kind.ABSENCE],
            "lateness": [e for e in events if e.kind == SchoolLifeEvent.Kind.LATENESS],
            "section": "school_life",
            **space,
        },
    )
