"""Every state change of the families room is one function here: atomic, ``update_fields``, an
audit row, side effects (SMS) on commit (DESIGN.md §3). Views, the admin and commands call
these."""

from dataclasses import dataclass, field

from django.contrib.auth.models import BaseUserManager
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.credentials import identifier_base, smallest_free_number
from accounts.models import User
from audit.models import Action, record
from families.models import ParentLink, ParentProfile
from families.sms import send_sms
from schools.models import Enrolment, Establishment, Role

ATTEMPTS = 5


@dataclass
class Responsable:
    """A responsable named by an imported file: an existing account (``existing``) or one to
    create, and the children to link (``(child, legal_representative)``)."""

    last_name: str
    first_name: str
    mobile: str = ""  # E.164
    email: str = ""
    existing: User | None = None
    children: list = field(default_factory=list)


def _free_identifier(first_name, last_name):
    base = identifier_base(first_name, last_name)
    taken = set(
        User.objects.filter(username__regex=rf"^{base.replace('.', '[.]')}[0-9]+$").values_list(
            "username", flat=True
        )
    )
    return smallest_free_number(base, taken)


def _enrol_as_parent(parent: User, establishment: Establishment) -> None:
    """A parent is enrolled (as a parent, without a class) where their children are."""
    if not Enrolment.objects.current().filter(user=parent, establishment=establishment).exists():
        Enrolment.objects.create(user=parent, establishment=establishment, role=Role.PARENT)


def _create_parent(responsable: Responsable, *, establishment, actor, ip) -> User:
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                parent = User(
                    username=_free_identifier(responsable.first_name, responsable.last_name),
                    first_name=responsable.first_name.strip(),
                    last_name=responsable.last_name.strip(),
                    email=BaseUserManager.normalize_email(responsable.email),
                    role=Role.PARENT,
                )
                # No password until a letter or the SMS registration gives one.
                parent.set_unusable_password()
                parent.save(force_insert=True)
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
            continue
        ParentProfile.objects.create(user=parent, mobile=responsable.mobile)
        _enrol_as_parent(parent, establishment)
        record(
            Action.PARENT_CREATED,
            subject=parent,
            actor=actor,
            ip=ip,
            establishment=establishment.uai,
            mobile_given=bool(responsable.mobile),
        )
        return parent
    raise AssertionError("unreachable")


@transaction.atomic
def do_link_parent(
    parent: User,
    child: User,
    *,
    legal_representative: bool = True,
    confirmed: bool = False,
    actor: User | None = None,
    ip: str | None = None,
) -> ParentLink:
    """``parent`` becomes a responsable of ``child``: enrolled as a parent in the child's
    establishments, one audit row. Linking twice changes nothing."""
    link, created = ParentLink.objects.get_or_create(
        parent=parent,
        child=child,
        defaults={
            "legal_representative": legal_representative,
            "confirmed_at": timezone.now() if confirmed else None,
        },
    )
    if created:
        for enrolment in Enrolment.objects.current().filter(user=child):
            _enrol_as_parent(parent, enrolment.establishment)
        record(
            Action.PARENT_LINKED,
            subject=parent,
            actor=actor,
            ip=ip,
            child=child.username,
            legal_representative=legal_representative,
        )
    return link


@transaction.atomic
def do_import_responsables(
    responsables: list[Responsable],
    establishment: Establishment,
    *,
    actor: User | None = None,
    ip: str | None = None,
) -> list[User]:
    """Save an imported file's responsables: the new accounts (without password: the SMS
    registration or a letter gives one), their mobile numbers, enrolments and links to the
    children. Everything or nothing. Returns the parents, created or existing."""
    parents = []
    for responsable in responsables:
        parent = responsable.existing
        if parent is None:
            parent = _create_parent(responsable, establishment=establishment, actor=actor, ip=ip)
        else:
            profile, _created = ParentProfile.objects.get_or_create(user=parent)
            if responsable.mobile and not profile.mobile:
                profile.mobile = responsable.mobile
                profile.save(update_fields=["mobile"])
            _enrol_as_parent(parent, establishment)
        for child, legal in responsable.children:
            do_link_parent(parent, child, legal_representative=legal, actor=actor, ip=ip)
        parents.append(parent)
    return parents


def children_of(parent: User):
    """The pupils ``parent`` is a responsable of (links not reported as wrong), still at
    school: the one predicate of what a parent may see."""
    return (
        User.objects.filter(
            parent_links__parent=parent,
            parent_links__reported_wrong_at__isnull=True,
            role=Role.PUPIL,
            departed_at__isnull=True,
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


def send_text(to: str, body: str, *, subject: User | None = None, ip: str | None = None) -> None:
    """Send an SMS once the caller's transaction commits, and audit it (never its text: it may
    hold a code)."""
    record(Action.SMS_SENT, subject=subject, subject_label="", ip=ip, to_suffix=str(to)[-2:])
    transaction.on_commit(lambda: send_sms(to, body))
