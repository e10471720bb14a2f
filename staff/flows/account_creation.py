"""« Ajouter utilisateur » in the admin: adding a person means issuing their letter. The
identifier and provisional password are made by accounts.actions.do_create_account; the view
(staff/admin.py) shows the password once, on the page that answers the form."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from accounts.actions import IssuedCredentials, do_create_account
from accounts.models import User
from accounts.people import person_key
from schools.models import Role
from schools.rules import currently_in


@dataclass(frozen=True)
class Outcome:
    """One of: ``issued``, the account is created, its letter to show once; ``existing``, the
    person already has an account here, nothing is created; ``error``, for the form."""

    issued: IssuedCredentials | None = None
    existing: User | None = None
    error: ValidationError | None = None


def create(data, *, actor, ip) -> Outcome:
    """The account typed in ``data`` (AccountCreationForm's cleaned data), unless the person
    already has one in this establishment: a reload of « Compte créé » posts the form again,
    and must never make a second account."""
    existing = existing_account(data)
    if existing is not None:
        return Outcome(existing=existing)
    try:
        issued = do_create_account(
            first_name=data["first_name"],
            last_name=data["last_name"],
            birth_date=data["birth_date"],
            role=data["role"],
            establishment=data["establishment"],
            school_class=data["school_class"],
            email=data["email"],
            actor=actor,
            ip=ip,
        )
    except ValidationError as exc:
        return Outcome(error=exc)
    if data["role"] == Role.TEACHER and data["school_class"] is not None:
        # A teacher follows the class chosen here from « Mes classes » (classroom/).
        data["school_class"].teachers.add(issued.user)
    return Outcome(issued=issued)


def existing_account(data) -> User | None:
    """Someone with this name and birth date, currently enrolled in this establishment (the
    import's own rule for « déjà inscrit »: accounts.people.person_key)."""
    if data["birth_date"] is None:
        return None
    typed = person_key(data["last_name"], data["first_name"], data["birth_date"])
    candidates = User.objects.filter(
        currently_in("", [data["establishment"]]), birth_date=data["birth_date"]
    ).distinct()
    for user in candidates:
        if person_key(user.last_name, user.first_name, user.birth_date) == typed:
            return user
    return None
