"""Demo responsables: one or two per demo pupil, with mobile numbers from the range ARCEP
reserves for fiction (06 39 98 xx xx), and the Counen family: three children in two schools.
Sandrine Counen comes in by SMS (one account for the three); Marc Counen has two letters, one
from each school, to activate and group. Called by ``manage.py demo`` (staff) once the demo
pupils exist. Idempotent: parents who activated keep their password, the others get a new
letter at each run (the old one stops working)."""

from dataclasses import dataclass

from accounts.actions import do_issue_credentials
from accounts.credentials import fold_name
from families.actions import Responsable, do_import_responsables, do_link_parent
from families.phones import national
from schools.models import Role


@dataclass(frozen=True)
class DemoParent:
    first_name: str
    last_name: str
    mobile: str  # E.164, or "" (no number: a letter only)
    children: tuple  # (first name, last name)
    letter: bool = False


COUNEN = (("Théo", "Counen"), ("Tom", "Counen"), ("Lina", "Counen"))
PARENTS = [
    DemoParent("Sandrine", "Counen", "+33639980001", COUNEN),
    # Two letters for Marc: one from the collège (Théo, Tom), one from the lycée (Lina).
    DemoParent("Marc", "Counen", "+33639980002", COUNEN[:2], letter=True),
    DemoParent("Marc", "Counen", "", COUNEN[2:], letter=True),
    DemoParent("Hélène", "D'Arc-Müller", "+33639980003", (("Éloïse", "D'Arc-Müller"),)),
    DemoParent("Samira", "Benali", "+33639980004", (("Inès", "Benali"),)),
    DemoParent("Karim", "Benali", "+33639980005", (("Inès", "Benali"),)),
    DemoParent("Julie", "Martin", "+33639980006", (("Lucas", "Martin"),)),
    DemoParent("Minh", "Nguyen", "+33639980007", (("Chloé", "Nguyen"),)),
    DemoParent("Gwenaëlle", "Le Goff", "+33639980008", (("Noah", "Le Goff"),)),
    DemoParent("Nathalie", "Fabre", "+33639980009", (("Léa", "Fabre"),)),
    DemoParent("Olivier", "Roussel", "+33639980010", (("Manon", "Roussel"),)),
    DemoParent("Fatima", "Ait Ouarab", "+33639980011", (("Yanis", "Ait Ouarab"),)),
    DemoParent("Carmen", "Péréz", "+33639980012", (("Jade", "Péréz"),)),
]


def _existing(spec, first_child):
    """The demo parent already made for this spec: same names, linked to its first child (or
    grouped since onto another account of the same person)."""
    for link in first_child.parent_links.select_related("parent"):
        parent = link.parent
        if parent.role == Role.PARENT and (
            fold_name(parent.first_name),
            fold_name(parent.last_name),
        ) == (fold_name(spec.first_name), fold_name(spec.last_name)):
            return parent
    return None


def seed_parents(pupils, *, reissue=False):
    """Create (or complete) the demo parents of ``pupils``; one row per parent."""
    by_name = {(fold_name(p.first_name), fold_name(p.last_name)): p for p in pupils}
    rows = []
    for spec in PARENTS:
        children = [
            by_name[(fold_name(f), fold_name(n))]
            for f, n in spec.children
            if (fold_name(f), fold_name(n)) in by_name
        ]
        if not children:
            continue
        parent = _existing(spec, children[0])
        if parent is None:
            establishment = children[0].enrolments.filter(left_at__isnull=True).first()
            [parent] = do_import_responsables(
                [
                    Responsable(
                        last_name=spec.last_name,
                        first_name=spec.first_name,
                        mobile=spec.mobile,
                        children=[(child, True) for child in children],
                    )
                ],
                establishment.establishment,
            )
        else:
            for child in children:
                do_link_parent(parent, child)
        password = None
        if spec.letter and parent.is_active and (reissue or parent.activated_at is None):
            password = do_issue_credentials(parent, first=True).password
        rows.append(
            {
                "identifier": parent.username,
                "password": password,
                "mobile": national(spec.mobile) if spec.mobile else "",
                "children": [child.username for child in children],
                "activated": parent.activated_at is not None,
            }
        )
    return rows
