"""Test data for every model, with traits for the usual people (factory_boy).

UserFactory(pupil=True)            a pupil enrolled in a class, no letter yet
UserFactory(provisional=True)      a pupil holding a letter (password PROVISIONAL_PASSWORD)
UserFactory(expired=True)          … whose letter has expired
UserFactory(activated=True)        a pupil who activated (password GOOD_PASSWORD)
UserFactory(departed=True)         a pupil who left the school
UserFactory(staff=True)            a staff member with the TOTP key the admin requires
UserFactory(staff_of=establishment)  … enrolled as staff of that establishment
UserFactory(superuser=True)        … with every right, on every establishment
ParentFactory(children=[pupil, …])  a parent (no password yet) of these pupils, with a mobile
ParentFactory(activated=True, …)   … who has an account (password GOOD_PASSWORD)
"""

import functools
import itertools
from datetime import date, time, timedelta
from decimal import Decimal

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import DemoEmail, PasswordHistory, User
from audit.models import Action, AuditEvent
from charter.models import Acceptance, Charter
from families.models import DemoTextMessage, ParentLink, ParentProfile
from pronote.models import (
    Evaluation,
    FirstVisit,
    Homework,
    Lesson,
    Mark,
    SchoolLifeEvent,
    Subject,
)
from schools.models import Enrolment, Establishment, Role, SchoolClass
from schools.validators import uai_key
from staff.models import ClassSession, LetterBatch
from tests.helpers import GOOD_PASSWORD

PROVISIONAL_PASSWORD = "Provisoire2x"  # noqa: S105 - letters' alphabet, test data


@functools.cache
def _hashed(raw_password, default_hasher):
    return make_password(raw_password)  # by default_hasher, the first of PASSWORD_HASHERS


def hashed_once(raw_password):
    """A password hashed once per run and hasher, not once per person (La Suite numérique's
    factories do the same): the people of a test share its hash, each with their own row."""
    return _hashed(raw_password, settings.PASSWORD_HASHERS[0])


def _uai(n):
    digits = f"{340000 + n:07d}"
    return digits + uai_key(digits)


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    uai = factory.Sequence(_uai)
    name = factory.Sequence(lambda n: f"Collège d'essai n° {n}")
    academie = "Montpellier"
    message = "Bienvenue au collège."


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolClass

    establishment = factory.SubFactory(EstablishmentFactory)
    division = factory.Sequence(lambda n: f"4e {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        raw_password = "Ancien#Motdepasse9"
        pupil = factory.Trait(role=Role.PUPIL, enrolled=True)
        provisional = factory.Trait(
            pupil=True,
            raw_password=PROVISIONAL_PASSWORD,
            provisional_issued_at=factory.LazyFunction(timezone.now),
            provisional_expires_at=factory.LazyFunction(
                lambda: timezone.now() + timedelta(days=90)
            ),
        )
        expired = factory.Trait(
            provisional=True,
            provisional_issued_at=factory.LazyFunction(
                lambda: timezone.now() - timedelta(days=100)
            ),
            provisional_expires_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=8)),
        )
        activated = factory.Trait(
            pupil=True,
            raw_password=GOOD_PASSWORD,
            activated_at=factory.LazyFunction(timezone.now),
        )
        departed = factory.Trait(
            activated=True,
            is_active=False,
            departed_at=factory.LazyFunction(timezone.now),
        )
        staff = factory.Trait(is_staff=True, role=Role.STAFF, with_totp=True)
        superuser = factory.Trait(staff=True, is_superuser=True)

    username = factory.Sequence(lambda n: f"u.test{n}")
    first_name = "Utilisateur"
    last_name = factory.Sequence(lambda n: f"Test{n}")
    birth_date = date(2012, 3, 14)
    role = Role.PUPIL
    password = factory.django.Password(factory.SelfAttribute("raw_password"), hashed_once)
    # Not fields: where the person is enrolled (see _create).
    enrolled = False
    school_class = None  # the class of a pupil (a new one by default)
    staff_of = None  # an establishment: makes a staff member of it
    with_totp = False  # the TOTP key the admin requires of staff

    @classmethod
    def _create(cls, model_class, *args, enrolled, school_class, staff_of, with_totp, **kwargs):
        """Pupils are enrolled in their class; staff at their establishment, with the TOTP key
        the admin requires."""
        if staff_of is not None:
            kwargs.update(is_staff=True, role=Role.STAFF)
        user = super()._create(model_class, *args, **kwargs)
        if with_totp or staff_of is not None:
            from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

            TOTP.activate(user, generate_totp_secret())
        if staff_of is not None:
            Enrolment.objects.create(user=user, establishment=staff_of, role=Role.STAFF)
        elif enrolled or school_class is not None:
            school_class = school_class or SchoolClassFactory()
            Enrolment.objects.create(
                user=user,
                establishment=school_class.establishment,
                school_class=school_class,
                role=Role.PUPIL,
                left_at=user.departed_at,
            )
        return user


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    user = factory.SubFactory(UserFactory)
    school_class = factory.SubFactory(SchoolClassFactory)
    establishment = factory.SelfAttribute("school_class.establishment")
    role = Role.PUPIL


class PasswordHistoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PasswordHistory

    user = factory.SubFactory(UserFactory)
    password = factory.LazyAttribute(lambda o: o.user.password)


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    action = Action.SIGN_IN_SUCCEEDED
    subject = factory.SubFactory(UserFactory)
    subject_label = factory.SelfAttribute("subject.username")


class CharterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Charter

    class Params:
        published = factory.Trait(published_at=factory.LazyFunction(timezone.now))

    version = factory.Sequence(lambda n: 100 + n)
    title = "Charte d'utilisation de l'ENT"
    body = "## Article 1\n\nL'utilisateur s'engage à respecter les autres."


class AcceptanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Acceptance

    user = factory.SubFactory(UserFactory, activated=True)
    charter = factory.SubFactory(CharterFactory, published=True)


class LetterBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterBatch

    class Params:
        ready = factory.Trait(status=LetterBatch.Status.DONE, sealed_pdf=b"sealed", total=3, done=3)
        old = factory.Trait(
            created_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=2))
        )

    created_by = factory.SubFactory(UserFactory, superuser=True)
    public_key = "00" * 32
    portal_url = "http://testserver/"


class ClassSessionFactory(factory.django.DjangoModelFactory):
    """A séance, as « Réinitialiser la classe » starts one."""

    class Meta:
        model = ClassSession

    school_class = factory.SubFactory(SchoolClassFactory)
    started_by = factory.SubFactory(UserFactory, superuser=True)


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Matière {n}")


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    school_class = factory.SubFactory(SchoolClassFactory)
    subject = factory.SubFactory(SubjectFactory)
    teacher = "M. Durand"
    room = "B12"
    weekday = 1
    starts_at = time(8, 0)
    ends_at = time(9, 0)


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    school_class = factory.SubFactory(SchoolClassFactory)
    subject = factory.SubFactory(SubjectFactory)
    title = "Contrôle"
    date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    out_of = 20
    coefficient = Decimal("1")


class MarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mark

    evaluation = factory.SubFactory(EvaluationFactory)
    # A pupil of the evaluation's class: a mark for anyone else is refused (Mark.clean).
    pupil = factory.SubFactory(
        UserFactory, activated=True, school_class=factory.SelfAttribute("..evaluation.school_class")
    )
    value = Decimal("14")


class HomeworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Homework

    school_class = factory.SubFactory(SchoolClassFactory)
    subject = factory.SubFactory(SubjectFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=2))
    description = "Exercices 1 à 3 page 42."


class SchoolLifeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolLifeEvent

    pupil = factory.SubFactory(UserFactory, activated=True)
    kind = SchoolLifeEvent.Kind.choices[0][0]
    starts_at = factory.LazyFunction(timezone.now)


class FirstVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FirstVisit

    user = factory.SubFactory(UserFactory, activated=True)


class ParentFactory(UserFactory):
    """A responsable: the parent role, a mobile of the fiction range, linked to ``children``
    (and enrolled as a parent where they are)."""

    class Params:
        activated = factory.Trait(
            raw_password=GOOD_PASSWORD,
            activated_at=factory.LazyFunction(timezone.now),
        )

    username = factory.Sequence(lambda n: f"p.parent{n}")
    first_name = "Camille"
    birth_date = None
    role = Role.PARENT
    password = factory.django.Password(GOOD_PASSWORD, hashed_once)
    mobile = factory.Sequence(lambda n: f"+336399800{n % 100:02d}")
    children = ()

    @classmethod
    def _create(cls, model_class, *args, mobile, children, **kwargs):
        kwargs.setdefault("enrolled", False)
        user = super()._create(model_class, *args, **kwargs)
        if not user.activated_at:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        ParentProfile.objects.create(user=user, mobile=mobile)
        for child in children:
            ParentLink.objects.create(parent=user, child=child)
            for enrolment in child.enrolments.filter(left_at__isnull=True):
                Enrolment.objects.get_or_create(
                    user=user,
                    establishment=enrolment.establishment,
                    left_at=None,
                    defaults={"role": Role.PARENT},
                )
        return user


class ParentProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentProfile

    user = factory.SubFactory(UserFactory, role=Role.PARENT, birth_date=None)
    mobile = factory.Sequence(lambda n: f"+336399801{n % 100:02d}")


class ParentLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentLink

    parent = factory.SubFactory(UserFactory, role=Role.PARENT, birth_date=None)
    child = factory.SubFactory(UserFactory, pupil=True)


class DemoTextMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemoTextMessage

    to = "+33639980001"
    body = "Mon ENT (simulation) : votre code de création de compte est 482913."


class DemoEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemoEmail

    to = "parent@exemple.test"
    subject = "[Mon ENT — simulation] Confirmez votre adresse mail"
    body = "Ouvrez ce lien pour confirmer votre adresse : http://127.0.0.1:8000/educonnect/"


_teachers = itertools.count(1)


def teacher_of(*classes, establishment=None, **kwargs):
    """A teacher (activated, password GOOD_PASSWORD) enrolled at ``establishment`` (else the
    first class's) and named among the teachers of ``classes`` (« Mes classes »)."""
    establishment = establishment or classes[0].establishment
    kwargs.setdefault("username", f"prof.{next(_teachers)}")
    teacher = UserFactory(
        role=Role.TEACHER,
        raw_password=GOOD_PASSWORD,
        activated_at=timezone.now(),
        birth_date=date(1985, 5, 4),
        first_name="Dominique",
        **kwargs,
    )
    Enrolment.objects.create(user=teacher, establishment=establishment, role=Role.TEACHER)
    for school_class in classes:
        school_class.teachers.add(teacher)
    return teacher
