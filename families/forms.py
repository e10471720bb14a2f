from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from families.phones import parse_mobile


class MobileField(forms.CharField):
    """A mobile number as a parent types it; cleaned to E.164."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "size": 16}),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return parse_mobile(value)
        except ValidationError:
            raise ValidationError(
                _(
                    "Saisissez un numéro de téléphone portable, par exemple 06 39 98 00 01 "
                    "(10 chiffres)."
                ),
                code="invalid",
            ) from None


class DemoPhoneForm(forms.Form):
    numero = MobileField(
        label=_("Numéro du téléphone de démonstration"),
        help_text=_("Un numéro fictif de 06 39 98 00 00 à 06 39 98 99 99."),
        error_messages={"required": _("Saisissez le numéro de téléphone.")},
    )
