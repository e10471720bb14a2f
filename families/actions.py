"""Every state change of the families room is one function here: atomic, ``update_fields``, an
audit row, side effects (SMS) on commit (docs/architecture.md). Views, the admin and commands call
these."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import BaseUserManager
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.people import FreeIdentifiers, person_key, retry_on_collision, same_person
from audit.models import Action, record
from families.models import ParentLink, ParentProfile
from families.sms import after_response, send_sms
from schools.models import Enrolment, Establishment, Role


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


def _enrol_as_parent(parent: User, establishment: Establishment) -> None:
    """A parent is enrolled (as a parent, without a class) where their children are."""
    if not Enrolment.objects.current().filter(user=parent, establishment=establishment).exists():
        Enrolment.objects.create(user=parent, establishment=establishment, role=Role.PARENT)


def _create_parent(responsable: Responsable, *, establishment, actor, ip) -> User:
    def save(parent):
        parent.save(force_insert=True)
        return parent

    parent = retry_on_collision(lambda: _new_parent(responsable), save)
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


def _new_parent(responsable: Responsable) -> User:
    """A responsable's account, not saved: the smallest free identifier, no password until a
    letter or the SMS registration gives one."""
    parent = User(
        username=FreeIdentifiers().take(responsable.first_name, responsable.last_name),
        first_name=responsable.first_name.strip(),
        last_name=responsable.last_name.strip(),
        email=BaseUserManager.normalize_email(responsable.email),
        role=Role.PARENT,
    )
    parent.set_unusable_password()
    return parent


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
    """Send an SMS once the caller's transaction commits and the response is complete
    (families.sms.after_response: a known number's answer costs what an unknown one's does),
    and audit it (never its text: it may hold a code)."""
    record(Action.SMS_SENT, subject=subject, subject_label="", ip=ip, to_suffix=str(to)[-2:])
    transaction.on_commit(lambda: after_response(lambda: send_sms(to, body)))


# --- Self-registration by SMS (« Je n'ai pas de compte ») ---------------------------------


def find_registering_parent(last_name: str, first_name: str, mobile: str) -> User | None:
    """The responsable the school registered with these names and this mobile number, still
    there and with at least one child at school; None otherwise."""
    candidates = User.objects.filter(
        role=Role.PARENT,
        departed_at__isnull=True,
        is_active=True,
        parent_profile__mobile=mobile,
    )
    typed = person_key(last_name, first_name)
    for parent in candidates:
        if person_key(parent.last_name, parent.first_name) == typed and (
            children_of(parent).exists()
        ):
            return parent
    return None


def _code_text(code):
    minutes = settings.SMS_CODE_VALIDITY_SECONDS // 60
    return ngettext(
        "Mon ENT (simulation) : votre code de création de compte est %(code)s. Il est valable "
        "%(minutes)d minute. Ne le communiquez à personne.",
        "Mon ENT (simulation) : votre code de création de compte est %(code)s. Il est valable "
        "%(minutes)d minutes. Ne le communiquez à personne.",
        minutes,
    ) % {"code": code, "minutes": minutes}


def _already_text(parent):
    return _(
        "Mon ENT (simulation) : un compte existe déjà pour ce numéro. Votre identifiant est "
        "%(identifier)s. Mot de passe oublié : « Mot de passe perdu » sur la "
        "page de connexion."
    ) % {"identifier": parent.username}


@transaction.atomic
def do_send_registration_code(
    registration, *, parent: User | None, ip: str | None = None, resend: bool = False
) -> None:
    """A new code for ``registration`` (the previous one stops working), sent by SMS on
    commit to a known responsable only; a responsable who already has an account is told
    their identifier instead. The screens say the same either way. Audited."""
    code = registration.new_code()
    if resend:
        registration.resends += 1
    if parent is not None and parent.activated_at is None:
        send_text(registration.mobile, _code_text(code), subject=parent, ip=ip)
    elif parent is not None:
        send_text(registration.mobile, _already_text(parent), subject=parent, ip=ip)
    record(
        Action.SMS_REGISTRATION_STARTED,
        subject=parent,
        subject_label=UNKNOWN_NUMBER,
        ip=ip,
        number_known=parent is not None,
        resend=resend,
    )


UNKNOWN_NUMBER = "(numéro inconnu)"


def do_record_registration_event(action, *, parent_id, ip=None, **details) -> None:
    """A code or a birth date typed during a registration, right or wrong: audited."""
    parent = User.objects.filter(pk=parent_id).first() if parent_id else None
    record(action, subject=parent, subject_label=UNKNOWN_NUMBER, ip=ip, **details)


class RegistrationError(Exception):
    pass


@transaction.atomic
def do_register_parent(
    parent: User,
    *,
    password: str,
    email: str,
    children: list[int],
    ip: str | None = None,
    request=None,
) -> User:
    """The end of an SMS registration: the responsable's own password, their e-mail address
    (unverified until its link is opened, which is sent on commit), the children confirmed by
    their birth dates. Locks the row: of two simultaneous registrations, one succeeds."""
    from allauth.account.models import EmailAddress

    parent = User.objects.select_for_update().get(pk=parent.pk)
    if parent.activated_at is not None or parent.departed_at is not None or not parent.is_active:
        raise RegistrationError(
            _("Ce compte est déjà créé. Connectez-vous avec votre identifiant.")
        )
    now = timezone.now()
    parent.set_password(password)
    parent.activated_at = now
    parent.email = BaseUserManager.normalize_email(email)
    # A letter printed meanwhile stops working: the account is now the parent's own.
    parent.provisional_issued_at = None
    parent.provisional_expires_at = None
    parent.provisional_issued_by = None
    parent.save(
        update_fields=[
            "password",
            "activated_at",
            "email",
            "provisional_issued_at",
            "provisional_expires_at",
            "provisional_issued_by",
        ]
    )
    ParentLink.objects.filter(parent=parent, child_id__in=children).update(confirmed_at=now)
    address = EmailAddress.objects.add_email(request, parent, parent.email, confirm=False)
    if request is not None:
        from accounts.actions import send_verification

        send_verification(request, address)
    record(
        Action.PARENT_REGISTERED,
        subject=parent,
        actor=parent,
        ip=ip,
        children=len(children),
    )
    return parent


# --- « Mon compte » › « Mes enfants » ------------------------------------------------------


class GroupingError(Exception):
    pass


@transaction.atomic
def do_group_parent_accounts(parent: User, other: User, *, ip: str | None = None) -> list[User]:
    """« Ajouter des élèves depuis un autre compte »: the children of ``other`` (another
    letter of the same person, not activated) move onto ``parent``'s account, with the
    establishments; ``other`` is closed (its letter stops working, its data are purged with
    the departed). The caller has checked the other letter's password. Returns the children
    moved."""
    from django.db.models import Q

    locked = {
        u.pk: u for u in User.objects.select_for_update().filter(pk__in=[parent.pk, other.pk])
    }
    parent, other = locked.get(parent.pk), locked.get(other.pk)
    if (
        parent is None
        or other is None
        or parent.pk == other.pk
        or other.role != Role.PARENT
        or not other.is_provisional
        or other.departed_at is not None
    ):
        raise GroupingError(_("Ce courrier ne peut pas être ajouté à votre compte."))
    if not same_person(parent, other):
        raise GroupingError(
            _(
                "Ce courrier est au nom d'une autre personne : seuls les courriers à votre "
                "nom "
                "peuvent être regroupés. Adressez-vous au secrétariat de l'établissement."
            )
        )
    moved = []
    for link in ParentLink.objects.filter(parent=other).select_related("child"):
        if not ParentLink.objects.filter(parent=parent, child=link.child).exists():
            link.parent = parent
            link.save(update_fields=["parent"])
        else:
            link.delete()
        moved.append(link.child)
    for enrolment in Enrolment.objects.current().filter(user=other):
        _enrol_as_parent(parent, enrolment.establishment)
    profile, _created = ParentProfile.objects.get_or_create(user=parent)
    other_mobile = ParentProfile.objects.filter(user=other).values_list("mobile", flat=True).first()
    if other_mobile and not profile.mobile:
        profile.mobile = other_mobile
        profile.save(update_fields=["mobile"])
    now = timezone.now()
    other.set_unusable_password()
    other.provisional_issued_at = None
    other.provisional_expires_at = None
    other.is_active = False
    other.departed_at = now
    other.save(
        update_fields=[
            "password",
            "provisional_issued_at",
            "provisional_expires_at",
            "is_active",
            "departed_at",
        ]
    )
    Enrolment.objects.filter(Q(user=other), left_at__isnull=True).update(left_at=now)
    record(
        Action.PARENT_ACCOUNTS_GROUPED,
        subject=parent,
        actor=parent,
        ip=ip,
        other=other.username,
        children=[child.username for child in moved],
    )
    record(Action.PARENT_ACCOUNT_CLOSED, subject=other, actor=parent, ip=ip, into=parent.username)
    return moved


@transaction.atomic
def do_report_wrong_link(parent: User, child: User, *, ip: str | None = None) -> ParentLink:
    """« Je ne suis pas le représentant légal de cet élève »: the child disappears from the
    parent's pages at once, and the school sees the report in its follow-up."""
    link = ParentLink.objects.select_for_update().get(parent=parent, child=child)
    if link.reported_wrong_at is None:
        link.reported_wrong_at = timezone.now()
        link.save(update_fields=["reported_wrong_at"])
        record(
            Action.PARENT_LINK_REPORTED, subject=parent, actor=parent, ip=ip, child=child.username
        )
    return link


def orphaned_parents():
    """Parents whose children have all left (they had some): they leave with them."""
    from django.db.models import Exists, OuterRef

    staying = ParentLink.objects.filter(parent=OuterRef("pk"), child__departed_at__isnull=True)
    return (
        User.objects.filter(role=Role.PARENT, departed_at__isnull=True, child_links__isnull=False)
        .filter(~Exists(staying))
        .distinct()
    )


def do_depart_orphaned_parents(*, actor: User | None = None, ip: str | None = None) -> list[User]:
    """Mark as departed every parent whose children have all left: their data are then purged
    with the children's, RETENTION_MONTHS_AFTER_DEPARTURE later (charter, art. 6)."""
    from accounts.actions import do_mark_departed

    departed = []
    for parent in orphaned_parents():
        with transaction.atomic():
            do_mark_departed(parent, actor=actor, ip=ip)
            record(Action.PARENT_DEPARTED, subject=parent, actor=actor, ip=ip)
        departed.append(parent)
    return departed
