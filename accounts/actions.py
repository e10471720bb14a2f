"""Every state change of an account is one function here: atomic, ``update_fields``, an audit
row. Views, the admin and management commands call these; none re-implements them."""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import lockout
from accounts.batch import hash_all
from accounts.credentials import (
    add_months,
    generate_provisional_password,
    identifier_base,
    smallest_free_number,
)
from accounts.models import AuditEvent, User
from schools.models import Enrolment, Establishment, Role, SchoolClass


@dataclass(frozen=True)
class IssuedCredentials:
    """What goes on the letter. The password exists here, in memory, and nowhere else."""

    user: User
    password: str
    expires_at: datetime

    @property
    def identifier(self):
        return self.user.username


class ActivationError(Exception):
    pass


def _allocate_identifier(first_name, last_name):
    base = identifier_base(first_name, last_name)
    taken = set(
        User.objects.filter(username__regex=rf"^{base.replace('.', '[.]')}[0-9]+$").values_list(
            "username", flat=True
        )
    )
    return smallest_free_number(base, taken)


def _new_account(*, first_name, last_name, birth_date, establishment, school_class, role, email):
    """The account and its enrolment, without a password yet (a letter comes next)."""
    if school_class is not None and school_class.establishment_id != establishment.pk:
        raise ValidationError(_("Cette classe n'appartient pas à cet établissement."))
    for attempt in range(5):
        try:
            with transaction.atomic():
                user = User(
                    username=_allocate_identifier(first_name, last_name),
                    first_name=first_name.strip(),
                    last_name=last_name.strip(),
                    birth_date=birth_date,
                    role=role,
                    email=email,
                )
                user.set_unusable_password()
                user.save()
                Enrolment.objects.create(
                    user=user, establishment=establishment, school_class=school_class, role=role
                )
                return user
        except IntegrityError:
            # Another process took the same identifier between our read and our write.
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def do_create_account(
    *,
    first_name: str,
    last_name: str,
    birth_date: date | None,
    establishment: Establishment,
    school_class: SchoolClass | None = None,
    role: str = Role.PUPIL,
    email: str = "",
    actor: User | None = None,
    ip: str | None = None,
) -> IssuedCredentials:
    """Create an account with its identifier and enrolment, and issue its first letter."""
    user = _new_account(
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        establishment=establishment,
        school_class=school_class,
        role=role,
        email=email,
    )
    return do_issue_credentials(user, actor=actor, ip=ip, first=True)


@transaction.atomic
def do_issue_credentials(
    user: User, *, actor: User | None = None, ip: str | None = None, first: bool = False
) -> IssuedCredentials:
    """Give ``user`` a new provisional password, valid 3 months; the previous one stops working.

    Only the hash is stored. Changing the password also ends the user's open sessions.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    now = timezone.now()
    password = generate_provisional_password()
    user.set_password(password)
    user.provisional_issued_at = now
    user.provisional_expires_at = add_months(now, settings.PROVISIONAL_VALIDITY_MONTHS)
    user.provisional_issued_by = actor if actor and actor.pk else None
    user.save(
        update_fields=[
            "password",
            "provisional_issued_at",
            "provisional_expires_at",
            "provisional_issued_by",
        ]
    )
    action = (
        AuditEvent.Action.CREDENTIALS_ISSUED if first else AuditEvent.Action.CREDENTIALS_REISSUED
    )
    AuditEvent.record(
        action,
        subject=user,
        actor=actor,
        ip=ip,
        expires_at=user.provisional_expires_at.isoformat(),
    )
    return IssuedCredentials(user=user, password=password, expires_at=user.provisional_expires_at)


def do_issue_many(
    users, *, actor=None, ip=None, workers=None, first=False, progress=None
) -> list[IssuedCredentials]:
    """do_issue_credentials for many users: one transaction, the hashes made on every core
    (a year group at the start of the year). Returns the letters (passwords only in memory)."""
    users = list(users)
    passwords = [generate_provisional_password() for _ in users]
    hashes = hash_all(passwords, workers, progress=progress)
    now = timezone.now()
    expires = add_months(now, settings.PROVISIONAL_VALIDITY_MONTHS)
    issued_by = actor if actor and actor.pk else None
    with transaction.atomic():
        locked = {
            u.pk: u for u in User.objects.select_for_update().filter(pk__in=[u.pk for u in users])
        }
        fresh = []
        for user, encoded in zip(users, hashes, strict=True):
            user = locked[user.pk]
            user.password = encoded
            user.provisional_issued_at = now
            user.provisional_expires_at = expires
            user.provisional_issued_by = issued_by
            fresh.append(user)
        action = (
            AuditEvent.Action.CREDENTIALS_ISSUED
            if first
            else AuditEvent.Action.CREDENTIALS_REISSUED
        )
        # What all share in one UPDATE; the hashes, which differ, in batches.
        User.objects.filter(pk__in=locked).update(
            provisional_issued_at=now,
            provisional_expires_at=expires,
            provisional_issued_by=issued_by,
        )
        User.objects.bulk_update(fresh, ["password"], batch_size=500)
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    action=action,
                    subject=user,
                    subject_label=user.username,
                    actor=issued_by,
                    actor_label=issued_by.username if issued_by else "",
                    ip=ip,
                    details={"expires_at": expires.isoformat()},
                )
                for user in fresh
            ],
            batch_size=1000,
        )
    return [
        IssuedCredentials(user=user, password=password, expires_at=expires)
        for user, password in zip(fresh, passwords, strict=True)
    ]


@transaction.atomic
def do_activate_account(
    user: User, *, new_password: str, email: str = "", ip: str | None = None
) -> User:
    """Replace the provisional password by the pupil's own and clear the provisional state.

    Locks the row: of two simultaneous activations of one account, exactly one succeeds.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_provisional:
        raise ActivationError(
            _(
                "Ce compte est déjà activé. Connectez-vous avec le mot de passe que vous avez "
                "choisi."
            )
        )
    if user.provisional_expired():
        raise ActivationError(
            _("Votre courrier a expiré : demandez un nouveau courrier à votre établissement.")
        )
    user.used_letter_password = user.password
    user.set_password(new_password)
    user.provisional_issued_at = None
    user.provisional_expires_at = None
    user.provisional_issued_by = None
    user.activated_at = timezone.now()
    fields = [
        "password",
        "used_letter_password",
        "provisional_issued_at",
        "provisional_expires_at",
        "provisional_issued_by",
        "activated_at",
    ]
    if email:
        user.email = email
        fields.append("email")
    user.save(update_fields=fields)
    AuditEvent.record(
        AuditEvent.Action.ACCOUNT_ACTIVATED,
        subject=user,
        actor=user,
        ip=ip,
        email_given=bool(email),
    )
    return user


@transaction.atomic
def do_unlock_account(user: User, *, actor: User | None = None, ip: str | None = None) -> None:
    """Lift a temporary lockout before its 15 minutes are over (staff)."""
    lockout.unlock(user.username)
    AuditEvent.record(AuditEvent.Action.UNLOCKED, subject=user, actor=actor, ip=ip)


@transaction.atomic
def do_mark_departed(user: User, *, actor: User | None = None, ip: str | None = None) -> User:
    """The person left the school: access is refused at once (open sessions included) and the
    data are purged 3 months later (charter art. 6, ``manage.py purge_departed``)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.departed_at is not None:
        return user
    now = timezone.now()
    user.departed_at = now
    user.is_active = False
    user.save(update_fields=["departed_at", "is_active"])
    Enrolment.objects.filter(user=user, left_at__isnull=True).update(left_at=now)
    AuditEvent.record(
        AuditEvent.Action.DEPARTED,
        subject=user,
        actor=actor,
        ip=ip,
        purge_after=purge_date(user).isoformat(),
    )
    return user


def purge_date(user: User) -> datetime:
    return add_months(user.departed_at, settings.RETENTION_MONTHS_AFTER_DEPARTURE)


def departed_to_purge(now=None):
    """Users whose departure is older than the retention period."""
    now = now or timezone.now()
    return [
        user
        for user in User.objects.filter(departed_at__isnull=False).order_by("departed_at")
        if purge_date(user) <= now
    ]


@transaction.atomic
def do_purge_user(user: User, *, actor: User | None = None) -> None:
    """Delete the person and everything attached (marks, absences, acceptances, e-mail
    addresses...); the audit trail keeps its rows, with the identifier replaced."""
    label = _("compte supprimé n° %(pk)s") % {"pk": user.pk}
    AuditEvent.objects.filter(subject=user).update(subject_label=label)
    AuditEvent.objects.filter(actor=user).update(actor_label=label)
    AuditEvent.record(
        AuditEvent.Action.PURGED,
        subject_label=label,
        actor=actor,
        departed_at=user.departed_at.isoformat() if user.departed_at else None,
    )
    user.delete()


@transaction.atomic
def do_import_pupils(
    plan, establishment, *, actor=None, ip=None, progress=None
) -> list[IssuedCredentials]:
    """Apply a checked import plan: every pupil or none. Unknown classes are created. Returns
    the new letters (their passwords exist only in the returned objects)."""
    if not plan.is_valid:
        raise ValidationError(_("Le fichier contient des erreurs : rien n'a été importé."))
    classes = {}
    users = []
    for row in plan.to_create:
        school_class = None
        if row.division:
            if row.division not in classes:
                classes[row.division], _created = SchoolClass.objects.get_or_create(
                    establishment=establishment, division=row.division
                )
            school_class = classes[row.division]
        users.append(
            _new_account(
                first_name=row.first_name,
                last_name=row.last_name,
                birth_date=row.birth_date,
                establishment=establishment,
                school_class=school_class,
                role=Role.PUPIL,
                email=row.email,
            )
        )
    return do_issue_many(users, actor=actor, ip=ip, first=True, progress=progress)
