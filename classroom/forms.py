from django import forms
from django.utils.translation import gettext_lazy as _

from classroom.practice import MAX_PUPILS
from schools.models import Establishment


class PracticeClassForm(forms.Form):
    """« Créer une classe d'entraînement »: how many invented pupils, and where."""

    count = forms.IntegerField(
        label=_("Nombre d'élèves"),
        min_value=1,
        max_value=MAX_PUPILS,
        initial=30,
        help_text=_("De 1 à %(max)d élèves inventés, chacun avec son courrier.")
        % {"max": MAX_PUPILS},
        error_messages={
            "required": _("Indiquez le nombre d'élèves."),
            "invalid": _("Indiquez un nombre entier."),
            "min_value": _("Au moins 1 élève."),
            "max_value": _("Au plus %(limit_value)s élèves."),
        },
    )
    establishment = forms.ModelChoiceField(
        label=_("Établissement"),
        queryset=Establishment.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choisissez un de vos établissements.")},
    )

    def __init__(self, *args, establishments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = establishments
        if len(establishments) == 1:
            self.fields["establishment"].initial = establishments[0]
            self.fields["establishment"].widget = forms.HiddenInput()
