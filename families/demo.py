"""Demo responsables: one or two per demo pupil, with mobile numbers from the range ARCEP
reserves for fiction (06 39 98 xx xx), and the Counen family: three children in two schools.
Called by ``manage.py demo`` (staff) once the demo pupils exist. Idempotent."""

from accounts.credentials import fold_name
from families.actions import Responsable, do_import_responsables, do_link_parent
from families.models import ParentProfile
from families.phones import national

# (first name, last name, mobile, [(child first name, child last name)])
PARENTS = [
    (
        "Sandrine",
        "Counen",
        "+33639980001",
        [("Théo", "Counen"), ("Tom", "Counen"), ("Lina", "Counen")],
    ),
    ("Marc", "Counen", "+33639980002", [("Théo", "Counen"), ("Tom", "Counen"), ("Lina", "Counen")]),
    ("Hélène", "D'Arc-Müller", "+33639980003", [("Éloïse", "D'Arc-Müller")]),
    ("Samira", "Benali", "+33639980004", [("Inès", "Benali")]),
    ("Karim", "Benali", "+33639980005", [("Inès", "Benali")]),
    ("Julie", "Martin", "+33639980006", [("Lucas", "Martin")]),
    ("Minh", "Nguyen", "+33639980007", [("Chloé", "Nguyen")]),
    ("Gwenaëlle", "Le Goff", "+33639980008", [("Noah", "Le Goff")]),
    ("Nathalie", "Fabre", "+33639980009", [("Léa", "Fabre")]),
    ("Olivier", "Roussel", "+33639980010", [("Manon", "Roussel")]),
    ("Fatima", "Ait Ouarab", "+33639980011", [("Yanis", "Ait Ouarab")]),
    ("Carmen", "Péréz", "+33639980012", [("Jade", "Péréz")]),
]


def seed_parents(pupils):
    """Create (or complete) the demo parents of ``pupils``; returns one row per parent."""
    by_name = {(fold_name(p.first_name), fold_name(p.last_name)): p for p in pupils}
    rows = []
    for first_name, last_name, mobile, names in PARENTS:
        children = [
            by_name[(fold_name(f), fold_name(n))]
            for f, n in names
            if (fold_name(f), fold_name(n)) in by_name
        ]
        if not children:
            continue
        profile = (
            ParentProfile.objects.filter(mobile=mobile, user__last_name=last_name)
            .select_related("user")
            .first()
        )
        if profile is None:
            establishment = children[0].enrolments.filter(left_at__isnull=True).first()
            [parent] = do_import_responsables(
                [
                    Responsable(
                        last_name=last_name,
                        first_name=first_name,
                        mobile=mobile,
                        children=[(child, True) for child in children],
                    )
                ],
                establishment.establishment,
            )
        else:
            parent = profile.user
            for child in children:
                do_link_parent(parent, child)
        rows.append(
            {
                "identifier": parent.username,
                "mobile": national(mobile),
                "children": [child.username for child in children],
                "activated": parent.activated_at is not None,
            }
        )
    return rows
