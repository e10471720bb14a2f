"""The tiles of the « Scolarité services » page (step 5), in the seed's order."""

from django.utils.translation import gettext_lazy as _

# Services of the real portal that this simulation does not reproduce: each opens a page that
# says so and what the real one is for.
NOT_SIMULATED = {
    "orientation": (
        _("Orientation"),
        _(
            "Le vrai service permet de saisir les intentions puis les choix d'orientation "
            "en fin de 3e et de 2nde, et de suivre les réponses du conseil de classe."
        ),
    ),
    "affectation-apres-la-3e": (
        _("Affectation après la 3e"),
        _(
            "Le vrai service permet de formuler les demandes de lycée après la 3e et d'en "
            "consulter les résultats."
        ),
    ),
    "fiche-de-renseignements": (
        _("Fiche de renseignements"),
        _(
            "Le vrai service permet aux familles de vérifier et de mettre à jour les "
            "coordonnées connues de l'établissement."
        ),
    ),
    "bourse-de-college": (
        _("Bourse de collège"),
        _("Le vrai service permet aux familles de demander une bourse de collège en ligne."),
    ),
}
