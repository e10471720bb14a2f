from django import forms
from django.utils.translation import gettext_lazy as _


class AcceptanceForm(forms.Form):
    accept = forms.BooleanField(
        label=_("J'ai lu et j'accepte les conditions ci-dessus"),
        error_messages={
            "required": _(
                "Pour accéder à l'ENT, faites défiler le texte de la charte jusqu'en bas : la"
                " case devient cochable. Cochez « J'ai lu et j'accepte les conditions"
                " ci-dessus », puis cliquez sur « Valider »."
            )
        },
    )
