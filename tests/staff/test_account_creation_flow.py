from datetime import date

from accounts.models import User
from schools.models import Role
from staff.flows import account_creation
from tests.factories import EstablishmentFactory


def typed(establishment, school_class=None, **names):
    return {
        "last_name": "D'Arc-Müller",
        "first_name": "Éloïse",
        "birth_date": date(2012, 3, 14),
        "role": Role.PUPIL,
        "establishment": establishment,
        "school_class": school_class,
        "email": "",
        **names,
    }


def test_a_person_typed_again_otherwise_spelled_is_recognised_in_their_establishment(
    school_class, staff_user
):
    """Accents, case and hyphens do not make a second account (the import's rule); another
    establishment's pupil of the same name is someone else."""
    establishment = school_class.establishment
    created = account_creation.create(typed(establishment, school_class), actor=staff_user, ip=None)
    again = account_creation.create(
        typed(establishment, last_name="DARC MULLER", first_name="eloise"),
        actor=staff_user,
        ip=None,
    )
    elsewhere = account_creation.create(typed(EstablishmentFactory()), actor=staff_user, ip=None)
    assert created.issued.identifier == "e.darcmuller1"
    assert again.existing == created.issued.user and again.issued is None
    assert elsewhere.issued.identifier == "e.darcmuller2"
    assert User.objects.filter(last_name="D'Arc-Müller").count() == 2
