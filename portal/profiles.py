"""The profile choice of the ENT (WAYF), with the seed's wording."""

from django.utils.translation import gettext_lazy as _

PROFILES = {
    "montpellier": _("Élève ou parent de l'académie de Montpellier"),
    "montpellier-educonnect": _("Élève ou parent de l'académie de Montpellier avec EduConnect"),
    "toulouse": _("Élève ou parent de l'académie de Toulouse"),
    "agricole": _("Élève ou parent de l'enseignement agricole"),
    "lycee-de-la-mer": _(
        "Élève ou parent du lycée de la mer Paul Bousquet ou du CSES Jean Lagarde"
    ),
    "enseignant": _("Enseignant"),
    "personnel": _("Personnel non enseignant"),
    "invite": _("Autres comptes et invités"),
}

# Pupils and parents of these académies sign in with EduConnect: straight to its page.
EDUCONNECT_PROFILES = {"montpellier", "montpellier-educonnect", "toulouse"}

# What the other profiles would meet in the real ENT, and what this simulation offers instead.
OTHER_PROFILES = {
    "agricole": _(
        "Dans le vrai ENT, les élèves et parents de l'enseignement agricole se connectent avec "
        "les identifiants de leur établissement agricole."
    ),
    "lycee-de-la-mer": _(
        "Dans le vrai ENT, les élèves et parents de ces établissements maritimes se connectent "
        "avec les identifiants remis par leur établissement."
    ),
    "enseignant": _(
        "Dans le vrai ENT, les enseignants se connectent avec leur compte académique (guichet "
        "agent), pas avec EduConnect."
    ),
    "personnel": _(
        "Dans le vrai ENT, les personnels non enseignants se connectent avec leur compte "
        "académique, pas avec EduConnect."
    ),
    "invite": _(
        "Dans le vrai ENT, les comptes invités (intervenants, partenaires) sont créés à la "
        "demande par l'établissement."
    ),
}
