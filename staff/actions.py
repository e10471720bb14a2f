"""The secretariat's state changes: importing a class list, and making letters without holding
the database while the slow work runs (docs/architecture.md, « Le trajet d'un changement
d'état »).

Hashing a year group's passwords and rendering its letters take seconds; a sign-in waits for
any open write transaction (SQLite has one writer). So each of these does the slow work first,
outside any transaction, then writes everything in one short transaction: the accounts, their
audit rows and (``save``) whatever must be saved with them, such as a batch's sealed PDF. A
failure before the write changes nothing; the passwords exist only in what ``letters`` made.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actions import (
    IssuedCredentials,
    Newcomer,
    do_create_accounts,
    do_issue_many,
    prepare_accounts,
    prepare_credentials,
)
from accounts.credentials import practice_password
from accounts.people import retry_on_collision
from schools.models import SchoolClass
from staff.importer import practice_class_refused
from staff.models import LetterBatch

# Each attempt renders the letters again: fewer than for one account.
ATTEMPTS = 3


def prepare_import(plan, establishment, *, progress=None) -> list[IssuedCredentials]:
    """The new pupils of a checked plan, with identifiers and hashed passwords, not saved."""
    if not plan.is_valid:
        raise ValidationError(_("Le fichier contient des erreurs : rien n'a été importé."))
    classes = {school_class.division: school_class for school_class in establishment.classes.all()}
    newcomers = []
    for row in plan.to_create:
        school_class = None
        if row.division:
            school_class = classes.setdefault(
                row.division, SchoolClass(establishment=establishment, division=row.division)
            )
        newcomers.append(
            Newcomer(
                first_name=row.first_name,
                last_name=row.last_name,
                birth_date=row.birth_date,
                school_class=school_class,
                email=row.email,
            )
        )
    return prepare_accounts(newcomers, establishment, progress=progress)


@transaction.atomic
def do_import_pupils(prepared, *, actor=None, ip=None) -> list[IssuedCredentials]:
    """Save prepared pupils: the classes the file names that do not exist yet, the accounts,
    their enrolments and audit rows. Everything or nothing."""
    saved = {}
    for item in prepared:
        school_class = item.enrolment.school_class
        if school_class is not None and school_class.pk is None:
            if school_class.division not in saved:
                saved[school_class.division], _created = SchoolClass.objects.get_or_create(
                    establishment=school_class.establishment, division=school_class.division
                )
            item.enrolment.school_class = saved[school_class.division]
        if item.enrolment.school_class is not None and item.enrolment.school_class.practice:
            # Made a practice class since the plan was checked: real pupils never go in one.
            raise ValidationError(practice_class_refused(item.enrolment.school_class.division))
    return do_create_accounts(prepared, actor=actor, ip=ip)


def import_with_letters(
    plan, establishment, *, letters, save=None, actor=None, ip=None, progress=None
):
    """Import a plan: prepare, ``letters(prepared)`` (render, seal), then one short write
    transaction, which also runs ``save(made)``. Returns (issued, made). If another process
    took one of the identifiers meanwhile, starts again with fresh ones."""

    def prepare():
        prepared = prepare_import(plan, establishment, progress=progress)
        return prepared, letters(prepared)

    def write(prepared_and_made):
        prepared, made = prepared_and_made
        issued = do_import_pupils(prepared, actor=actor, ip=ip)
        if save is not None:
            save(made)
        return issued, made

    return retry_on_collision(prepare, write, attempts=ATTEMPTS)


def same_letters(school_class):
    """For a practice class, ``password_for``: each invented pupil's letter stays the same
    (accounts/credentials.py, ``practice_password``); None for a real class (new passwords)."""
    if school_class is None or not school_class.practice or not school_class.letter_seed:
        return None
    seed = school_class.letter_seed
    return lambda user: practice_password(seed, user.username)


def same_letters_again(users, school_class) -> list[IssuedCredentials]:
    """A practice class's letters as printed before (``same_letters``), for printing again:
    nothing is hashed, written or audited, and no account changes — a pupil who has activated
    keeps the password they chose. Refuses a real class (its letters are never kept)."""
    password_for = same_letters(school_class)
    if password_for is None:
        raise ValueError(_("Seule une classe d'entraînement redonne les mêmes courriers."))
    return [
        IssuedCredentials(
            user=user, password=password_for(user), expires_at=user.provisional_expires_at
        )
        for user in users
    ]


def reissue_with_letters(
    users, *, letters, save=None, actor=None, ip=None, progress=None, password_for=None
):
    """New letters for existing accounts: hashes, then ``letters(prepared)``, then one short
    write transaction, which also runs ``save(made)``. Returns (issued, made)."""
    prepared = prepare_credentials(users, progress=progress, password_for=password_for)
    made = letters(prepared)
    with transaction.atomic():
        issued = do_issue_many(prepared=prepared, actor=actor, ip=ip)
        if save is not None:
            save(made)
    return issued, made


def purge_letter_batches(now=None) -> int:
    """Batches are promised to be gone after a day: their sealed PDF and the file they were
    asked to import are deleted (the row stays, as a trace, marked « Effacé »)."""
    now = now or timezone.now()
    return (
        LetterBatch.objects.stale(now)
        .exclude(status=LetterBatch.Status.RUNNING)
        .update(sealed_pdf=None, import_data=None, status=LetterBatch.Status.EXPIRED)
    )


def reset_class_with_letters(
    school_class, *, letters, save=None, actor=None, ip=None, pupils=None, progress=None
):
    """« Réinitialiser la classe pour une nouvelle séance »: every pupil of the class gets a new
    letter (one PDF, made before anything is written), and what the last group did on these
    demo accounts is cleared — charter acceptances, PRONOTE first visits, chosen passwords'
    history, e-mail addresses, open sessions, lockouts — so that the same class serves lesson
    after lesson. A practice class gets its same letters again (``same_letters``). The audit
    trail keeps everything. ``pupils``: only these of the class (those in the staff member's
    hands, schools/rules.py). ``save(made)`` runs in the same write transaction (a batch's sealed
    PDF). Returns (issued, made)."""
    from allauth.account.models import EmailAddress
    from allauth.usersessions.models import UserSession

    from accounts import lockout
    from accounts.models import PasswordHistory, User
    from audit.models import Action, record
    from charter.models import Acceptance
    from pronote.models import FirstVisit
    from staff.models import ClassSession
    from staff.session import class_pupils

    if pupils is None:
        pupils = [enrolment.user for enrolment in class_pupils(school_class)]

    def clear(made):
        Acceptance.objects.filter(user__in=pupils).delete()
        FirstVisit.objects.filter(user__in=pupils).delete()
        PasswordHistory.objects.filter(user__in=pupils).delete()
        EmailAddress.objects.filter(user__in=pupils).delete()
        User.objects.filter(pk__in=[p.pk for p in pupils]).update(email="", used_letter_password="")
        for session in UserSession.objects.filter(user__in=pupils):
            session.end()
        # The lockouts are in the cache: with local memory (classroom mode) this lifts only
        # this process's; staff/jobs.py lifts them in the web server's too.
        for pupil in pupils:
            lockout.unlock(pupil.username)
        record(
            Action.CLASS_RESET,
            actor=actor,
            ip=ip,
            school_class=str(school_class),
            pupils=len(pupils),
        )
        # After the new letters: the séance counts what happens from now on.
        ClassSession.objects.create(school_class=school_class, started_by=actor)
        if save is not None:
            save(made)

    return reissue_with_letters(
        pupils,
        letters=letters,
        save=clear,
        actor=actor,
        ip=ip,
        progress=progress,
        password_for=same_letters(school_class),
    )
