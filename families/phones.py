"""Mobile numbers of responsables: parsed with ``phonenumbers`` and kept in E.164.

ARCEP reserves 06 39 98 00 00 to 06 39 98 99 99 for fiction (films, books… and this
simulation): libphonenumber does not call them valid, we do, and only they reach the
« Téléphone de démonstration »."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NBSP = "\u00a0"
FICTION_PREFIX = "+3363998"  # 06 39 98 xx xx
MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def is_fiction(e164: str) -> bool:
    return str(e164).startswith(FICTION_PREFIX) and len(str(e164)) == 12


def parse_mobile(text: str) -> str:
    """« 06 39 98 00 01 », « +33 6 39 98 00 01 », « 0033639980001 » → « +33639980001 ».
    Raises ValidationError unless it is a mobile number (or one of the fiction range)."""
    text = (text or "").strip()
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("numéro de téléphone illisible « %(value)s »."),
            code="invalid",
            params={"value": text[:30]},
        ) from None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if is_fiction(e164):
        return e164
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("numéro de téléphone impossible « %(value)s »."),
            code="invalid",
            params={"value": text[:30]},
        )
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise ValidationError(
            _("ce n'est pas un numéro de portable « %(value)s »."),
            code="not_mobile",
            params={"value": text[:30]},
        )
    return e164


def validate_mobile(value):
    parse_mobile(str(value))


def national(e164: str) -> str:
    """« +33639980001 » → « 06 39 98 00 01 » (as a French parent reads it), the groups joined
    by non-breaking spaces (U+00A0) so that a number is never split across two lines."""
    try:
        number = phonenumbers.parse(str(e164), "FR")
    except phonenumbers.NumberParseException:
        return str(e164)
    if number.country_code == 33:
        digits = "0" + str(number.national_number)
        return NBSP.join(digits[i : i + 2] for i in range(0, len(digits), 2))
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return international.replace(" ", NBSP)


def masked(e164: str) -> str:
    """« 06 ** ** ** 01 »: enough for a parent to recognise their own number (non-breaking
    spaces, as ``national``)."""
    text = national(e164)
    return NBSP.join([text[:2], "**", "**", "**", text[-2:]]) if len(text) == 14 else "**"
