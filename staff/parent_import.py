"""Import of responsables (parents) from a SIECLE-style export (CSV): one row per responsable
and per child. Like the pupils' import: ``plan_parent_import`` reads and checks everything and
changes nothing (the preview); families.actions.do_import_responsables applies a plan, all or
nothing; importing the same file again changes nothing."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from accounts.people import person_key
from families.actions import Responsable
from families.models import ParentLink, ParentProfile
from schools.models import Enrolment, Role
from schools.rules import currently_in
from staff.forms import ParentRowForm
from staff.importer import Problem, checked_rows, read_rows

COLUMNS = {
    "last_name": {"nom", "nom responsable", "nom du responsable", "nom de famille"},
    "first_name": {"prenom", "prenom responsable", "prenom du responsable"},
    "mobile": {
        "telephone portable",
        "tel portable",
        "tel. portable",
        "portable",
        "telephone mobile",
        "mobile",
    },
    "email": {"e-mail", "email", "mail", "courriel", "adresse mail", "adresse e-mail"},
    "child_identifier": {"identifiant de l'eleve", "identifiant eleve", "identifiant"},
    "child_last_name": {"nom de l'eleve", "nom eleve", "nom de l'enfant"},
    "child_first_name": {"prenom de l'eleve", "prenom eleve", "prenom de l'enfant"},
    "child_birth_date": {
        "date de naissance de l'eleve",
        "date de naissance eleve",
        "date de naissance de l'enfant",
        "date de naissance",
    },
    "legal_representative": {"representant legal", "responsable legal", "representant"},
}
LABELS = {
    "last_name": "Nom",
    "first_name": "Prénom",
    "mobile": "Téléphone portable",
    "email": "E-mail",
    "child_identifier": "Identifiant de l'élève",
    "child_last_name": "Nom de l'élève",
    "child_first_name": "Prénom de l'élève",
    "child_birth_date": "Date de naissance de l'élève",
    "legal_representative": "Représentant légal",
}


def _header(mapping):
    missing = [LABELS[name] for name in ["last_name", "first_name"] if name not in mapping]
    by_name = {"child_last_name", "child_first_name", "child_birth_date"}
    if "child_identifier" not in mapping and not by_name <= set(mapping):
        missing.append(_("l'élève (Identifiant de l'élève, ou Nom, Prénom et Date de naissance)"))
    if missing:
        return Problem(
            1,
            ", ".join(missing),
            _(
                "colonne absente de l'en-tête (colonnes attendues : Nom, Prénom, Téléphone "
                "portable, E-mail, Identifiant de l'élève ou Nom de l'élève, Prénom de l'élève "
                "et Date de naissance de l'élève, Représentant légal)."
            ),
        )
    return None


@dataclass
class ParentPlan:
    responsables: list = field(default_factory=list)  # families.actions.Responsable
    links: list = field(default_factory=list)  # (line, Responsable, child, legal)
    skipped: list = field(default_factory=list)  # (line, name, reason)
    problems: list = field(default_factory=list)

    @property
    def is_valid(self):
        return not self.problems

    @property
    def new_parents(self):
        return [r for r in self.responsables if r.existing is None]

    @property
    def has_changes(self):
        return bool(self.links)


def parent_key(last_name, first_name, mobile, email):
    """Who a responsable is: ``person_key`` (the names, no birth date), and the mobile (else
    the e-mail)."""
    return (*person_key(last_name, first_name), str(mobile) or email.lower())


def _existing_parents(keys, within):
    """{key: parent} for the parents already known with these names and number or address,
    among those currently enrolled in ``within`` (the importer's establishments): a parent
    known only to another school is never found, hence never attached nor shown
    (docs/secretariat.md, « Importer des responsables (CSV) »)."""
    from accounts.models import User

    mobiles = {key[-1] for key in keys if key[-1].startswith("+")}
    emails = {key[-1] for key in keys if key[-1] and not key[-1].startswith("+")}
    parents = User.objects.filter(currently_in("", within), role=Role.PARENT).distinct()
    found = {}
    profiles = ParentProfile.objects.filter(mobile__in=mobiles, user__in=parents)
    for profile in profiles.select_related("user"):
        user = profile.user
        found[parent_key(user.last_name, user.first_name, str(profile.mobile), "")] = user
    for user in parents.filter(email__in=emails):
        found.setdefault(parent_key(user.last_name, user.first_name, "", user.email), user)
    return found


def plan_parent_import(data: bytes, establishment, *, within=None) -> ParentPlan:
    """``within``: the establishments whose parents a line may name (the importer's, from
    schools.rules.managed_establishments); by default the import's own. A line naming a parent
    known elsewhere creates a new responsable: the parent groups the two letters later
    (« Ajouter des élèves depuis un autre compte »)."""
    plan = ParentPlan()
    rows, problem = read_rows(data, COLUMNS, LABELS, _header)
    if problem:
        plan.problems.append(problem)
        return plan
    pupils = {}
    by_identifier = {}
    for enrolment in (
        Enrolment.objects.current()
        .filter(establishment=establishment, role=Role.PUPIL)
        .select_related("user")
    ):
        user = enrolment.user
        pupils[person_key(user.last_name, user.first_name, user.birth_date)] = user
        by_identifier[user.username] = user
    checked = []
    for line, data in checked_rows(rows, ParentRowForm, LABELS, plan.problems):
        if data["child_identifier"]:
            child = by_identifier.get(data["child_identifier"].strip().lower())
            column = LABELS["child_identifier"]
        else:
            child = pupils.get(
                person_key(
                    data["child_last_name"], data["child_first_name"], data["child_birth_date"]
                )
            )
            column = LABELS["child_last_name"]
        if child is None:
            plan.problems.append(
                Problem(line, column, _("aucun élève de l'établissement ne correspond."))
            )
            continue
        checked.append((line, data, child))
    existing = _existing_parents(
        [
            parent_key(d["last_name"], d["first_name"], d["mobile"], d["email"])
            for _l, d, _c in checked
        ],
        [establishment] if within is None else within,
    )
    linked = set(
        ParentLink.objects.filter(child__in=[c for _l, _d, c in checked]).values_list(
            "parent_id", "child_id"
        )
    )
    responsables, seen = {}, {}
    for line, data, child in checked:
        key = parent_key(data["last_name"], data["first_name"], data["mobile"], data["email"])
        name = f"{data['first_name']} {data['last_name']}"
        responsable = responsables.get(key)
        if responsable is None:
            responsable = Responsable(
                last_name=data["last_name"],
                first_name=data["first_name"],
                mobile=data["mobile"],
                email=data["email"],
                existing=existing.get(key),
            )
            responsables[key] = responsable
        if responsable.existing is not None and (responsable.existing.pk, child.pk) in linked:
            plan.skipped.append((line, name, _("déjà responsable de cet élève")))
            continue
        if (key, child.pk) in seen:
            plan.skipped.append(
                (
                    line,
                    name,
                    _("en double dans le fichier (ligne %(line)d)")
                    % {"line": seen[(key, child.pk)]},
                )
            )
            continue
        seen[(key, child.pk)] = line
        responsable.children.append((child, data["legal_representative"]))
        plan.links.append((line, responsable, child, data["legal_representative"]))
    plan.responsables = [r for r in responsables.values() if r.children]
    return plan
