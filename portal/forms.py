from django import forms
from django.utils.translation import gettext_lazy as _

from portal.profiles import PROFILES


class ProfileChoiceForm(forms.Form):
    profil = forms.ChoiceField(
        label=_("Vous souhaitez vous connecter à votre ENT en tant que :"),
        choices=list(PROFILES.items()),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez un profil, puis cliquez sur « Valider »."),
            "invalid_choice": _("Choisissez un des profils de la liste."),
        },
    )
