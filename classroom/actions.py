"""The teacher's state changes (docs/architecture.md, « Le trajet d'un changement d'état »):
a practice class of invented pupils is made here. Its deletion and daily purge are
``accounts.actions.do_delete_practice_class`` and ``purge_practice_classes``, because the daily
purge (staff) calls them and nothing imports this room."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actions import IssuedCredentials, Newcomer, do_create_accounts, prepare_accounts
from accounts.people import retry_on_collision
from audit.models import Action, record
from classroom.practice import MAX_PUPILS, invented_birth_dates, invented_names
from schools.models import Enrolment, Role, SchoolClass
from staff.actions import same_letters


def free_practice_division(establishment):
    """« Entraînement 1 », « Entraînement 2 »…: the first not taken in ``establishment``."""
    taken = set(establishment.classes.values_list("division", flat=True))
    number = 1
    while _("Entraînement %(n)d") % {"n": number} in taken:
        number += 1
    return _("Entraînement %(n)d") % {"n": number}


def check_count(count):
    if not isinstance(count, int) or not 1 <= count <= MAX_PUPILS:
        raise ValidationError(
            _("Une classe d'entraînement compte de 1 à %(max)d élèves.") % {"max": MAX_PUPILS},
            code="count",
        )


def check_teacher(teacher, establishment):
    """A practice class is followed by a teacher of its establishment, or by none."""
    if teacher is None:
        return
    teaches_there = Enrolment.objects.current().filter(
        user=teacher, establishment=establishment, role=Role.TEACHER
    )
    if teacher.role != Role.TEACHER or teacher.is_staff or not teaches_there.exists():
        raise ValidationError(
            _("Cet enseignant n'enseigne pas dans cet établissement."), code="teacher"
        )


def prepare_practice_class(establishment, count, *, division=None):
    """The slow half, outside any transaction: the class (not saved), its invented pupils with
    identifiers, enrolments and their letters' passwords, hashed. The passwords are the class's
    same letters (``staff.actions.same_letters``), so that they serve group after group."""
    school_class = SchoolClass(
        establishment=establishment,
        division=division or free_practice_division(establishment),
        practice=True,
        practice_until=timezone.now() + timedelta(days=settings.PRACTICE_CLASS_DAYS),
        letter_seed=secrets.token_hex(16),
    )
    newcomers = [
        Newcomer(
            first_name=first_name,
            last_name=last_name,
            birth_date=birth_date,
            school_class=school_class,
        )
        for (first_name, last_name), birth_date in zip(
            invented_names(count), invented_birth_dates(count), strict=True
        )
    ]
    prepared = prepare_accounts(newcomers, establishment, password_for=same_letters(school_class))
    return school_class, prepared


def do_create_practice_class(
    establishment, count, *, teacher=None, actor=None, ip=None, division=None
) -> tuple[SchoolClass, list[IssuedCredentials]]:
    """A class of ``count`` invented pupils (1 to MAX_PUPILS), marked practice, deleted after
    PRACTICE_CLASS_DAYS; ``teacher`` follows it from « Mes classes ». Hashing happens first;
    then one short transaction writes the class, the accounts, their enrolments and the audit.
    Returns (the class, the letters)."""
    check_count(count)
    check_teacher(teacher, establishment)
    if division is not None and establishment.classes.filter(division=division).exists():
        raise ValidationError(_("Cette classe existe déjà dans l'établissement."), code="division")

    def write(made):
        school_class, prepared = made
        school_class.save(force_insert=True)
        for item in prepared:
            item.enrolment.school_class = school_class
        issued = do_create_accounts(prepared, actor=actor, ip=ip)
        if teacher is not None:
            school_class.teachers.add(teacher)
        record(
            Action.PRACTICE_CLASS_CREATED,
            actor=actor,
            ip=ip,
            school_class=str(school_class),
            pupils=len(issued),
            teacher=teacher.username if teacher is not None else None,
            until=school_class.practice_until.isoformat(),
        )
        return school_class, issued

    # Another process may take the division or an identifier meanwhile: prepared again.
    return retry_on_collision(
        lambda: prepare_practice_class(establishment, count, division=division), write
    )
