from datetime import date

import factory

from accounts.models import User
from schools.models import Establishment, Role, SchoolClass
from schools.validators import uai_key


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

    username = factory.Sequence(lambda n: f"u.test{n}")
    first_name = "Utilisateur"
    last_name = factory.Sequence(lambda n: f"Test{n}")
    birth_date = date(2012, 3, 14)
    role = Role.PUPIL
    password = factory.django.Password("Ancien#Motdepasse9")


def staff_member(**kwargs):
    """A staff account with the TOTP key the admin requires."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = UserFactory(is_staff=True, role="personnel", **kwargs)
    TOTP.activate(user, generate_totp_secret())
    return user
