"""Every state change of an account is one function here: atomic, ``update_fields``, an audit
row. Views, the admin and management commands call these; none re-implements them.

Issuing letters is split in two, so that nothing slow happens while the database is locked
(docs/architecture.md, « Le trajet d'un changement d'état »): ``prepare_*`` makes the
passwords and their argon2 hashes (and, for new people, their identifiers) outside any
transaction; the caller renders its letters; then ``do_issue_many`` / ``do_create_accounts``
write everything in one short transaction.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from allauth.account.models import EmailAddress
from allauth.core import context
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts import lockout
from accounts.batch import hash_all
from accounts.credentials import add_months, generate_provisional_password
from accounts.models import User
from accounts.people import FreeIdentifiers, retry_on_collision
from accounts.signals import withdraw_access_on_commit
from audit.models import Action, AuditEvent, build, record
from schools.models import Enrolment, Establishment, Role, SchoolClass


@dataclass(frozen=True)
class IssuedCredentials:
    """What goes on the letter. The password exists here, in memory, and nowhere else."""

    user: User
    password: str
    expires_at: datetime
    encoded: str = field(default="", repr=False)  # its hash, until written
    enrolment: Enrolment | None = None  # for a letter printed before the account is saved

    @property
    def identifier(self):
        return self.user.username


@dataclass(frozen=True)
class Newcomer:
    """A person to create: who they are and where they are enrolled."""

    first_name: str
    last_name: str
    birth_date: date | None
    school_class: SchoolClass | None = None
    role: str = Role.PUPIL
    email: str = ""


class ActivationError(Exception):
    pass


def prepare_credentials(
    users, *, workers=None, progress=None, password_for=None
) -> list[IssuedCredentials]:
    """The slow half of issuing: a password and its argon2 hash for each user, on every core.
    Reads nothing and writes nothing: call it outside any transaction. ``password_for(user)``:
    the password to give instead of a random one (a practice class's same letter)."""
    users = list(users)
    passwords = [
        password_for(user) if password_for else generate_provisional_password() for user in users
    ]
    hashes = hash_all(passwords, workers, progress=progress)
    expires = add_months(timezone.now(), settings.PROVISIONAL_VALIDITY_MONTHS)
    return [
        IssuedCredentials(user=user, password=password, expires_at=expires, encoded=encoded)
        for user, password, encoded in zip(users, passwords, hashes, strict=True)
    ]


def prepare_accounts(
    newcomers, establishment: Establishment, *, workers=None, progress=None, password_for=None
) -> list[IssuedCredentials]:
    """New people, not saved yet: their identifiers (the smallest free ones, read now), their
    enrolments and their first letters' passwords, hashed. ``do_create_accounts`` saves them."""
    users, identifiers = [], FreeIdentifiers()
    for person in newcomers:
        if (
            person.school_class is not None
            and person.school_class.establishment_id != establishment.pk
        ):
            raise ValidationError(_("Cette classe n'appartient pas à cet établissement."))
        users.append(
            User(
                username=identifiers.take(person.first_name, person.last_name),
                first_name=person.first_name.strip(),
                last_name=person.last_name.strip(),
                birth_date=person.birth_date,
                role=person.role,
                email=person.email,
            )
        )
    prepared = prepare_credentials(
        users, workers=workers, progress=progress, password_for=password_for
    )
    return [
        IssuedCredentials(
            user=item.user,
            password=item.password,
            expires_at=item.expires_at,
            encoded=item.encoded,
            enrolment=Enrolment(
                user=item.user,
                establishment=establishment,
                school_class=person.school_class,
                role=person.role,
            ),
        )
        for item, person in zip(prepared, newcomers, strict=True)
    ]


@transaction.atomic
def do_create_accounts(
    prepared: list[IssuedCredentials], *, actor: User | None = None, ip: str | None = None
) -> list[IssuedCredentials]:
    """Save what ``prepare_accounts`` made: the accounts with their provisional passwords, their
    enrolments, one audit row each. Raises IntegrityError if another process took one of the
    identifiers meanwhile (nothing is then saved: prepare again)."""
    now = timezone.now()
    issued_by = actor if actor is not None and actor.pk else None
    for item in prepared:
        user = item.user
        user.password = item.encoded
        user.provisional_issued_at = now
        user.provisional_expires_at = item.expires_at
        user.provisional_issued_by = issued_by
    User.objects.bulk_create([item.user for item in prepared], batch_size=500)
    for item in prepared:
        item.enrolment.user = item.user
    Enrolment.objects.bulk_create([item.enrolment for item in prepared], batch_size=500)
    AuditEvent.objects.bulk_create(
        [
            build(
                Action.CREDENTIALS_ISSUED,
                subject=item.user,
                actor=issued_by,
                ip=ip,
                at=now,
                expires_at=item.expires_at.isoformat(),
            )
            for item in prepared
        ],
        batch_size=1000,
    )
    return prepared


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
    """Create one account with its identifier and enrolment, and issue its first letter."""
    newcomer = Newcomer(
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        school_class=school_class,
        role=role,
        email=email,
    )
    return retry_on_collision(
        lambda: prepare_accounts([newcomer], establishment),
        lambda prepared: do_create_accounts(prepared, actor=actor, ip=ip)[0],
    )


def do_issue_many(
    users=None,
    *,
    prepared: list[IssuedCredentials] | None = None,
    actor: User | None = None,
    ip: str | None = None,
    first: bool = False,
    workers=None,
    progress=None,
) -> list[IssuedCredentials]:
    """Give each user a new provisional password, valid PROVISIONAL_VALIDITY_MONTHS; the
    previous one stops working (and so do their open sessions: the hash changes).

    The hashes are made first, outside the transaction (or given as ``prepared``); then one
    short transaction writes them all. Only the hashes are stored; the passwords come back in
    the returned letters. An account deleted meanwhile fails the whole call."""
    if prepared is None:
        prepared = prepare_credentials(users, workers=workers, progress=progress)
    now = timezone.now()
    issued_by = actor if actor is not None and actor.pk else None
    action = Action.CREDENTIALS_ISSUED if first else Action.CREDENTIALS_REISSUED
    with transaction.atomic():
        locked = {
            user.pk: user
            for user in User.objects.select_for_update().filter(
                pk__in=[item.user.pk for item in prepared]
            )
        }
        if len(locked) != len({item.user.pk for item in prepared}):
            raise ValidationError(_("Un des comptes n'existe plus : rien n'a été ré-émis."))
        fresh = []
        for item in prepared:
            user = locked[item.user.pk]
            user.password = item.encoded
            user.provisional_issued_at = now
            user.provisional_expires_at = item.expires_at
            user.provisional_issued_by = issued_by
            user.birth_date_failures = 0
            fresh.append(
                IssuedCredentials(user=user, password=item.password, expires_at=item.expires_at)
            )
        User.objects.bulk_update(
            [item.user for item in fresh],
            [
                "password",
                "provisional_issued_at",
                "provisional_expires_at",
                "provisional_issued_by",
                "birth_date_failures",
            ],
            batch_size=500,
        )
        AuditEvent.objects.bulk_create(
            [
                build(
                    action,
                    subject=item.user,
                    actor=issued_by,
                    ip=ip,
                    at=now,
                    expires_at=item.expires_at.isoformat(),
                )
                for item in fresh
            ],
            batch_size=1000,
        )
        # The services too: the old letter's sessions there end, their tokens are revoked.
        withdraw_access_on_commit(item.user for item in fresh)
    return fresh


def do_issue_credentials(
    user: User, *, actor: User | None = None, ip: str | None = None, first: bool = False
) -> IssuedCredentials:
    """``do_issue_many`` of one: a new letter for ``user``."""
    return do_issue_many([user], actor=actor, ip=ip, first=first)[0]


def check_activation(user: User | None, *, letter: str | None = None) -> None:
    """Raise ActivationError when ``user`` may not activate with the letter it signed in with
    (``letter``: that letter's issue time, as kept in the session)."""
    if user is None or user.departed_at is not None or not user.is_active:
        raise ActivationError(
            _("Ce compte est fermé. Adressez-vous au secrétariat de votre établissement.")
        )
    if not user.is_provisional:
        raise ActivationError(
            _(
                "Ce compte est déjà activé. Connectez-vous avec le mot de passe que vous avez "
                "choisi."
            )
        )
    if letter is not None and letter != user.provisional_issued_at.isoformat():
        raise ActivationError(
            _(
                "Un nouveau courrier a été émis pour ce compte : le mot de passe de "
                "l'ancien ne "
                "fonctionne plus. Connectez-vous avec celui du nouveau courrier."
            )
        )
    if user.provisional_expired():
        raise ActivationError(
            _("Votre courrier a expiré : demandez un nouveau courrier à votre établissement.")
        )
    if user.letter_blocked:
        raise ActivationError(LETTER_BLOCKED_MESSAGE)


LETTER_BLOCKED_MESSAGE = _lazy(
    "Trop de dates de naissance erronées : ce courrier est bloqué. Demandez un nouveau "
    "courrier au secrétariat de votre établissement ou à votre professeur principal."
)


@transaction.atomic
def do_activate_account(
    user: User,
    *,
    new_password: str,
    email: str = "",
    ip: str | None = None,
    request=None,
    letter: str | None = None,
) -> User:
    """Replace the provisional password by the pupil's own and clear the provisional state.
    An e-mail address given here is saved unverified; its verification link is sent once the
    activation is committed (``request`` builds the link). ``letter``: the issue time of the
    letter the pupil signed in with; a letter re-issued since, or an account closed since,
    refuses the activation.

    Locks the row: of two simultaneous activations of one account, exactly one succeeds.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    check_activation(user, letter=letter)
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
    if email:
        # Unverified until its link is opened; used for nothing before.
        address = EmailAddress.objects.add_email(request, user, email, confirm=False)
        send_verification(request, address)
    record(Action.ACCOUNT_ACTIVATED, subject=user, actor=user, ip=ip, email_given=bool(email))
    return user


def send_verification(request, address: EmailAddress) -> None:
    """Send the verification link of ``address`` (an unverified allauth ``EmailAddress``) once
    the current transaction commits; nothing is sent if it rolls back. ``request`` builds the
    link. For the actions that save an e-mail address given by its owner (activation, a
    parent's SMS registration)."""

    def send():
        # allauth reads the request from its own context: set it, in case the commit happens
        # after the view (a caller's outer transaction).
        with context.request_context(request):
            address.send_confirmation(request)

    transaction.on_commit(send)


# What was typed as an unknown identifier is never stored: pupils sometimes type their
# password in the identifier field.
UNKNOWN_IDENTIFIER = "(identifiant inconnu)"


@transaction.atomic
def do_record_failed_attempt(
    identifier: str,
    action: str,
    *,
    ip: str | None = None,
    counted: bool = False,
    failures: int | None = None,
) -> bool:
    """A wrong password, a wrong second-factor code, or a wrong birth date at activation:
    audited and counted towards the lockout of ``identifier`` (``counted``: the sign-in already
    counted it before checking the password; ``failures``: and read the count since). True when
    this attempt locks it."""
    identifier = (identifier or "").strip().lower()
    user = User.objects.filter(username=identifier).first()
    record(action, subject=user, subject_label=UNKNOWN_IDENTIFIER, ip=ip)
    locked = lockout.register_failure(identifier, counted=counted, failures=failures)
    if locked:
        record(Action.LOCKED_OUT, subject=user, subject_label=UNKNOWN_IDENTIFIER, ip=ip)
    return locked


@transaction.atomic
def do_record_wrong_birth_date(user: User, *, ip: str | None = None) -> User:
    """A wrong birth date at activation. They count against the letter itself, across
    sign-ins (signing in again with the letter must not start the guessing again): at
    ACTIVATION_MAX_BIRTH_DATE_FAILURES the letter is blocked until staff re-issue it, which
    is stricter than the identifier's temporary lockout, so they are not counted there too."""
    User.objects.filter(pk=user.pk).update(birth_date_failures=F("birth_date_failures") + 1)
    user.refresh_from_db(fields=["birth_date_failures"])
    record(Action.ACTIVATION_BIRTH_DATE_MISMATCH, subject=user, actor=user, ip=ip)
    if user.birth_date_failures == settings.ACTIVATION_MAX_BIRTH_DATE_FAILURES:
        record(Action.LETTER_BLOCKED, subject=user, ip=ip)
    return user


@transaction.atomic
def do_unlock_account(user: User, *, actor: User | None = None, ip: str | None = None) -> None:
    """Lift a temporary lockout before it ends by itself (staff)."""
    lockout.unlock(user.username)
    record(Action.UNLOCKED, subject=user, actor=actor, ip=ip)


@transaction.atomic
def do_mark_departed(user: User, *, actor: User | None = None, ip: str | None = None) -> User:
    """The person left the school: access is refused at once (open sessions included) and the
    data are purged RETENTION_MONTHS_AFTER_DEPARTURE later (charter art. 6, ``manage.py
    purge``)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.departed_at is not None:
        return user
    now = timezone.now()
    user.departed_at = now
    user.is_active = False
    user.save(update_fields=["departed_at", "is_active"])
    Enrolment.objects.filter(user=user, left_at__isnull=True).update(left_at=now)
    record(
        Action.DEPARTED,
        subject=user,
        actor=actor,
        ip=ip,
        purge_after=purge_date(user).isoformat(),
    )
    withdraw_access_on_commit([user])
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


def _forget_in_the_admin_log(user):
    """The admin's own change log keeps « Théo Counen (t.counen1) » as the object of its rows,
    and in the change message of other objects' rows (a mark added to an evaluation, a link to
    a parent): gone with the person (rows *by* the person go with the user's row, by cascade).
    Every model names a person as ``str(user)``, whose « (identifier) » is unique."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    named = f"({user.username})"
    LogEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
        | Q(object_repr__contains=named)
        | Q(change_message__contains=named)
    ).delete()


@transaction.atomic
def do_purge_user(user: User, *, actor: User | None = None) -> None:
    """Delete the person and everything attached (marks, absences, acceptances, e-mail
    addresses...); the audit trail keeps its rows, with the identifier replaced."""
    label = _("compte supprimé n° %(pk)s") % {"pk": user.pk}
    AuditEvent.objects.filter(subject=user).update(subject_label=label)
    AuditEvent.objects.filter(actor=user).update(actor_label=label)
    _forget_in_the_admin_log(user)
    record(
        Action.PURGED,
        subject_label=label,
        actor=actor,
        departed_at=user.departed_at.isoformat() if user.departed_at else None,
    )
    user.delete()


def practice_pupils(school_class: SchoolClass):
    """The invented pupils of a practice class: the pupil accounts enrolled in it (current
    or not) and nowhere else. Only ``classroom.actions.do_create_practice_class`` enrols
    anyone there; the « nowhere else » is a second lock, so that a real person is never
    deleted with the class."""
    from django.db.models import Exists, OuterRef

    elsewhere = Enrolment.objects.exclude(school_class=school_class)
    return (
        User.objects.filter(
            enrolments__school_class=school_class,
            role=Role.PUPIL,
            is_staff=False,
            is_superuser=False,
        )
        .exclude(Exists(elsewhere.filter(user=OuterRef("pk"))))
        .distinct()
    )


def do_delete_practice_class(
    school_class: SchoolClass, *, actor: User | None = None, ip: str | None = None
) -> int:
    """Delete a practice class: its invented pupils with everything attached (as a purge:
    the audit trail keeps their rows, identifier replaced), then the class. Refuses a real
    class. Here rather than in classroom/, because the daily purge (``purge_practice_classes``,
    ``manage.py purge_departed``) calls it and nothing imports classroom. Returns how many
    accounts were deleted."""
    if not school_class.practice:
        raise ValidationError(
            _("Seule une classe d'entraînement peut être supprimée ainsi : celle-ci est réelle.")
        )
    with transaction.atomic():
        pupils = list(practice_pupils(school_class))
        for pupil in pupils:
            do_purge_user(pupil, actor=actor)
        record(
            Action.PRACTICE_CLASS_DELETED,
            actor=actor,
            ip=ip,
            school_class=str(school_class),
            pupils=len(pupils),
        )
        school_class.delete()
    return len(pupils)


def purge_practice_classes(now=None) -> int:
    """Delete the practice classes whose time is over (``practice_until``, set at creation to
    PRACTICE_CLASS_DAYS later). Returns how many classes were deleted."""
    now = now or timezone.now()
    classes = SchoolClass.objects.filter(practice=True, practice_until__lte=now).select_related(
        "establishment"
    )
    count = 0
    for school_class in classes:
        do_delete_practice_class(school_class)
        count += 1
    return count
