import secrets

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

    # A fresh one each time the form is shown: used once (classroom/views.py).
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, establishments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = secrets.token_urlsafe(16)
        self.fields["establishment"].queryset = establishments
        only = list(establishments[:2])
        self.only = only[0] if len(only) == 1 else None
        if self.only is not None:  # the usual case: nothing to choose
            self.fields["establishment"].initial = self.only.pk
            self.fields["establishment"].required = False
            self.fields["establishment"].widget = forms.HiddenInput()

    def clean_establishment(self):
        return self.cleaned_data.get("establishment") or self.only
