"""« Séance »: one class during a lesson. Where each pupil is in the journey and, when stuck,
why, in plain words; for the teacher's screen, the classroom projector and the report.

Everything is read in a constant number of queries whatever the size of the class: the
pupils, what they reached (two EXISTS), one aggregate of their audit events since the séance
began, and the lockouts in one cache round trip.
"""

import functools
import hashlib
import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connections, router
from django.db.models import Count, Exists, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts import lockout
from accounts.models import LifecycleState
from audit.models import Action, AuditEvent
from charter.models import Acceptance, Charter
from core.collation import name_key
from pronote.models import FirstVisit
from schools.models import Enrolment, Role
from staff.funnel import STEPS, step_of
from staff.models import ClassSession

STEP_KEYS = [key for key, _label in STEPS]
HELP_ACTIONS = [Action.UNLOCKED, Action.CREDENTIALS_REISSUED]
COUNTED = [
    Action.SIGN_IN_FAILED,
    Action.ACTIVATION_BIRTH_DATE_MISMATCH,
    Action.ACTIVATION_STARTED,
    Action.CHARTER_REFUSED,
    Action.SIGN_IN_SUCCEEDED,
    Action.LOCKED_OUT,
    *HELP_ACTIONS,
]
NEXT_STEP = {
    "issued": gettext_lazy("Compte pas encore activé"),
    "activated": gettext_lazy("Compte activé, charte pas encore acceptée"),
    "charter": gettext_lazy("Charte acceptée, PRONOTE pas encore ouvert"),
    "pronote": gettext_lazy("Dans PRONOTE"),
}


@dataclass
class Card:
    """One pupil on the séance page."""

    user: object
    step: str
    reasons: list = field(default_factory=list)  # why stuck, in plain words
    stuck: bool = False
    locked_until: datetime | None = None
    helped: list = field(default_factory=list)  # what staff did for them during the séance
    reached_pronote_at: datetime | None = None
    # False when the pupil is also enrolled in a school the staff member does not manage
    # (schools/rules.py): no help button, the reason instead.
    in_hands: bool = True

    @property
    def step_index(self):
        return STEP_KEYS.index(self.step)

    @property
    def progress(self):
        """0 to 100: how far along the four steps (for the projector's bars)."""
        return (self.step_index + 1) * 25

    @property
    def status(self):
        return self.reasons[0] if self.reasons else NEXT_STEP[self.step]


def started_at(school_class):
    """When the séance began: the last « Réinitialiser la classe », or None (the class was
    never reset: everything since its letters counts)."""
    session = ClassSession.objects.filter(school_class=school_class).first()
    return session.started_at if session is not None else None


def class_pupils(school_class):
    charter = Charter.objects.current()
    accepted = (
        Exists(Acceptance.objects.filter(user=OuterRef("user"), charter=charter))
        if charter
        else Exists(Acceptance.objects.none())
    )
    return list(
        Enrolment.objects.current()
        .filter(school_class=school_class, role=Role.PUPIL, user__departed_at__isnull=True)
        .select_related("user")
        .annotate(
            charter_ok=accepted,
            pronote_ok=Exists(FirstVisit.objects.filter(user=OuterRef("user"))),
        )
        .order_by("user__last_name", "user__first_name")
    )


UNSET = object()


def cards(school_class, *, since=UNSET):
    """One card per pupil of the class, in 4 queries and one cache round trip."""
    if since is UNSET:
        since = started_at(school_class)
    enrolments = class_pupils(school_class)
    users = [e.user for e in enrolments]
    events = {}
    happened = AuditEvent.objects.filter(subject__in=users, action__in=COUNTED)
    if since is not None:
        happened = happened.filter(at__gte=since)
    for row in happened.values("subject_id", "action").annotate(n=Count("id"), last=Max("at")):
        events.setdefault(row["subject_id"], {})[row["action"]] = row
    visits = dict(FirstVisit.objects.filter(user__in=users).values_list("user_id", "at"))
    locks = lockout.locked_until(user.username for user in users)
    result = []
    for enrolment in enrolments:
        user = enrolment.user
        mine = events.get(user.pk, {})
        state = user.lifecycle_state()
        step = step_of(state, enrolment)
        card = Card(user=user, step=step, reached_pronote_at=visits.get(user.pk))
        _explain(card, state, mine, locks.get(user.username))
        result.append(card)
    # Those who need help first; then alphabetical in French, as the class list.
    return sorted(
        result,
        key=lambda card: (not card.stuck, name_key(card.user.last_name, card.user.first_name)),
    )


def _count(events, action):
    return events[action]["n"] if action in events else 0


def _explain(card, state, events, locked_until):
    """Why a pupil is stuck, most urgent first, in words a teacher reads aloud."""
    reasons = []
    if locked_until:
        card.locked_until = datetime.fromtimestamp(locked_until, tz=timezone.get_current_timezone())
        reasons.append(
            _("Identifiant bloqué jusqu'à %(time)s (trop d'essais)")
            % {"time": timezone.localtime(card.locked_until).strftime("%H h %M")}
        )
    if state == LifecycleState.LETTER_BLOCKED:
        reasons.append(_("Courrier bloqué : trop de dates de naissance erronées"))
    elif state == LifecycleState.EXPIRED:
        reasons.append(_("Courrier expiré"))
    dates = _count(events, Action.ACTIVATION_BIRTH_DATE_MISMATCH)
    if dates and state != LifecycleState.LETTER_BLOCKED and card.step == "issued":
        reasons.append(
            ngettext(
                "%(n)d date de naissance erronée",
                "%(n)d dates de naissance erronées",
                dates,
            )
            % {"n": dates}
        )
    failures = _count(events, Action.SIGN_IN_FAILED)
    if failures and card.step == "issued":
        reasons.append(
            ngettext("%(n)d mot de passe erroné", "%(n)d mots de passe erronés", failures)
            % {"n": failures}
        )
    if card.step == "issued" and state == LifecycleState.PROVISIONAL:
        if _count(events, Action.ACTIVATION_STARTED):
            reasons.append(_("Activation commencée, pas terminée"))
        elif not failures:
            reasons.append(_("Pas encore de connexion"))
    if card.step == "activated" and _count(events, Action.CHARTER_REFUSED):
        reasons.append(_("A refusé la charte (« Je refuse »)"))
    card.reasons = reasons
    card.stuck = bool(reasons) and reasons != [_("Pas encore de connexion")]
    for action, label in [
        (Action.UNLOCKED, _("déblocage")),
        (Action.CREDENTIALS_REISSUED, _("nouveau courrier")),
    ]:
        if _count(events, action):
            card.helped.append(label)


def _latest(queryset):
    """The id of the newest row of ``queryset``, as a subquery (None when there is none)."""
    return Subquery(queryset.order_by("-id").values("id")[:1])


def _stamp_queryset(class_pk, now):
    """Per pupil of the class, what its card reads (see ``change_stamp``), in one query."""
    return (
        Enrolment.objects.current()
        .filter(school_class=class_pk, role=Role.PUPIL, user__departed_at__isnull=True)
        .annotate(
            last_event=_latest(AuditEvent.objects.filter(subject=OuterRef("user"))),
            accepted=_latest(Acceptance.objects.filter(user=OuterRef("user"))),
            visited=_latest(FirstVisit.objects.filter(user=OuterRef("user"))),
            charter=Subquery(Charter.objects.published(now).order_by("-version").values("id")[:1]),
            seance=_latest(ClassSession.objects.filter(school_class=class_pk)),
        )
        .order_by("pk")
        .values_list(
            "pk",
            "user_id",
            "user__username",
            "user__first_name",
            "user__last_name",
            "user__activated_at",
            "user__provisional_issued_at",
            "user__provisional_expires_at",
            "user__birth_date_failures",
            "last_event",
            "accepted",
            "visited",
            "charter",
            "seance",
        )
    )


_SENTINEL_CLASS = -424_242_424
_SENTINEL_NOW = datetime(2001, 2, 3, 4, 5, 6, 789_012, tzinfo=UTC)


@functools.cache
def _stamp_sql(alias):
    """``_stamp_queryset``'s SQL, compiled by the ORM once per process and database: a poll
    that finds nothing changed would otherwise spend more building the query than running it
    (bench/README.md). The class and the time are the only parameters that change; found by
    compiling with values no real query has."""
    connection = connections[alias]
    query = _stamp_queryset(_SENTINEL_CLASS, _SENTINEL_NOW).query
    sql, params = query.get_compiler(using=alias).as_sql()
    now = connection.ops.adapt_datetimefield_value(_SENTINEL_NOW)
    slots = tuple(
        "class" if value == _SENTINEL_CLASS else "now" if value == now else None for value in params
    )
    if slots.count("class") != 2 or slots.count("now") != 1:  # a change of the query's shape
        raise RuntimeError(f"the séance's stamp query has unexpected parameters: {params!r}")
    return sql, tuple(params), slots


def _stamp_rows(class_pk, now):
    alias = router.db_for_read(Enrolment)
    connection = connections[alias]
    sql, params, slots = _stamp_sql(alias)
    now_value = connection.ops.adapt_datetimefield_value(now)
    values = [
        class_pk if slot == "class" else now_value if slot == "now" else value
        for value, slot in zip(params, slots, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchall()


def _aware(value):
    """A datetime as the database driver returned it (SQLite: naive UTC text)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return timezone.make_aware(value, UTC) if timezone.is_naive(value) else value


def change_stamp(school_class, *, viewer=()):
    """What the live part of the séance shows, in one short digest: the same as long as no card
    of the class can have moved, another as soon as one may have. Its ETag (staff/views.py): a
    poll that finds it unchanged costs this and no more (304 Not Modified).

    Read in one query and one cache round trip, from the data themselves rather than from a
    counter that each change would have to bump (a change made anywhere, by any action, to come,
    moves it; nothing to forget): per pupil of the class, the fields the card reads (name,
    letter, activation, birth-date failures), the newest audit event about them (sign-ins
    failed or not, activation, charter refused, lockout, unlock, new letter…), their newest
    charter acceptance and their PRONOTE first visit; the class's latest séance and the
    charter in force; and what only time changes: which letters have expired, and the lockouts
    in force with their end (a lockout ends by itself, with no event). ``viewer``: what the
    rendering depends on besides (who asks, their right to help, the language).
    ``school_class``: the class or its primary key (staff/live.py's short way has only that)."""
    class_pk = getattr(school_class, "pk", school_class)
    now = timezone.now()
    rows = _stamp_rows(class_pk, now)
    expired = [row[0] for row in rows if row[6] and row[7] and _aware(row[7]) <= now]
    locks = sorted(
        (name, int(until)) for name, until in lockout.locked_until(row[2] for row in rows).items()
    )
    seen = repr((class_pk, rows, expired, locks, viewer)).encode()
    return hashlib.blake2b(seen, digest_size=16).hexdigest()


def bars(card_list):
    """How many reached each step, with percentages (reaching a step includes the earlier)."""
    total = len(card_list)
    result = []
    for index, (key, label) in enumerate(STEPS):
        count = sum(1 for card in card_list if card.step_index >= index)
        percent = round(100 * count / total) if total else 0
        result.append({"key": key, "label": label, "count": count, "percent": percent})
    return result


def report(school_class, card_list, since):
    """The end-of-lesson summary: steps reached, median time from the letter to PRONOTE, who
    needed help and for what."""
    letters = dict(
        AuditEvent.objects.filter(
            subject__in=[c.user for c in card_list],
            action__in=[Action.CREDENTIALS_ISSUED, Action.CREDENTIALS_REISSUED],
        )
        .values("subject_id")
        .annotate(last=Max("at"))
        .values_list("subject_id", "last")
    )
    durations = [
        (card.reached_pronote_at - letters[card.user.pk]).total_seconds() / 60
        for card in card_list
        if card.reached_pronote_at
        and card.user.pk in letters
        and card.reached_pronote_at >= letters[card.user.pk]
    ]
    return {
        "school_class": school_class,
        "since": since,
        "bars": bars(card_list),
        "median_minutes": round(statistics.median(durations)) if durations else None,
        "helped": [c for c in card_list if c.helped or c.stuck],
        "total": len(card_list),
    }
