"""The secretariat's forms: one person typed in the admin, one row of an imported file."""

from datetime import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.credentials import identifier_base
from schools.models import Establishment, Role, SchoolClass

# Written as schools write them (and as spreadsheets export them).
BIRTH_DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class BirthDateField(forms.DateField):
    """The one date parser for birth dates typed or imported by staff: JJ/MM/AAAA and its
    usual variants; a two-digit year is never in the future; not before 1900."""

    default_error_messages = {
        "invalid": _("date impossible ou illisible « %(value)s » (attendu : JJ/MM/AAAA)."),
        "future": _("date dans le futur (%(value)s)."),
        "too_old": _("date trop ancienne."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", BIRTH_DATE_FORMATS)
        super().__init__(**kwargs)

    def strptime(self, value, format):
        parsed = datetime.strptime(value, format).date()  # noqa: DTZ007 - a date, no time
        if format == "%d/%m/%y" and parsed.year > timezone.localdate().year:
            parsed = parsed.replace(year=parsed.year - 100)
        return parsed

    def to_python(self, value):
        try:
            return super().to_python(value.strip() if isinstance(value, str) else value)
        except ValidationError:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": str(value)[:30]}
            ) from None

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value > timezone.localdate():
            raise ValidationError(
                self.error_messages["future"], code="future", params={"value": f"{value:%d/%m/%Y}"}
            )
        if value.year < 1900:
            raise ValidationError(self.error_messages["too_old"], code="too_old")


def check_names(first_name, last_name):
    """The identifier is made from the names: they need letters (accents folded away)."""
    try:
        identifier_base(first_name, last_name)
    except ValidationError:
        raise ValidationError(
            _("le nom et le prénom doivent contenir au moins une lettre."),
            code="identifier_letters",
        ) from None


class ImportRowForm(forms.Form):
    """One row of an imported file, checked like a form (staff/importer.py): the person's
    names, which must make an identifier, and an optional e-mail address."""

    last_name = forms.CharField(
        max_length=150,
        error_messages={
            "required": _("valeur manquante."),
            "max_length": _("plus de 150 caractères."),
        },
    )
    first_name = forms.CharField(
        max_length=150,
        error_messages={
            "required": _("valeur manquante."),
            "max_length": _("plus de 150 caractères."),
        },
    )
    email = forms.CharField(required=False)

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email:
            try:
                forms.EmailField().clean(email)
            except ValidationError:
                raise ValidationError(
                    _("adresse mail invalide « %(value)s »."),
                    code="invalid",
                    params={"value": email[:60]},
                ) from None
        return email

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("first_name") and cleaned.get("last_name"):
            try:
                check_names(cleaned["first_name"], cleaned["last_name"])
            except ValidationError as exc:
                self.add_error("last_name", exc)
        return cleaned


class PupilRowForm(ImportRowForm):
    """One row of an imported class list."""

    birth_date = BirthDateField(error_messages={"required": _("valeur manquante.")})
    division = forms.CharField(
        max_length=30, required=False, error_messages={"max_length": _("plus de 30 caractères.")}
    )


class AccountCreationForm(forms.Form):
    """One person typed in the admin (« Ajouter utilisateur »)."""

    last_name = forms.CharField(label=_("Nom"), max_length=150)
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    birth_date = BirthDateField(
        label=_("Date de naissance"),
        help_text=_("JJ/MM/AAAA. L'élève la saisira pour activer son compte."),
    )
    role = forms.ChoiceField(label=_("Profil"), choices=Role.choices, initial=Role.PUPIL)
    establishment = forms.ModelChoiceField(
        label=_("Établissement"), queryset=Establishment.objects.all()
    )
    school_class = forms.ModelChoiceField(
        label=_("Classe"),
        queryset=SchoolClass.objects.select_related("establishment"),
        required=False,
    )
    email = forms.EmailField(label=_("Adresse mail"), required=False)

    def __init__(self, *args, establishments, **kwargs):
        """Only in ``establishments`` (those the staff member manages), and their classes."""
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = establishments
        # Never a practice class: it holds only its invented pupils (classroom/).
        self.fields["school_class"].queryset = self.fields["school_class"].queryset.filter(
            establishment__in=establishments, practice=False
        )

    def clean(self):
        cleaned = super().clean()
        school_class, establishment = cleaned.get("school_class"), cleaned.get("establishment")
        if school_class and establishment and school_class.establishment_id != establishment.pk:
            self.add_error(
                "school_class", _("Cette classe n'appartient pas à l'établissement choisi.")
            )
        return cleaned


class ImportForm(forms.Form):
    establishment = forms.ModelChoiceField(
        label=_("Établissement"), queryset=Establishment.objects.none()
    )
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "Colonnes Nom, Prénom, Date de naissance (JJ/MM/AAAA), et si vous les avez Classe, "
            "INE, E-mail. Séparateur point-virgule ou virgule ; UTF-8 ou Windows-1252 "
            "(« CSV (séparateur : point-virgule) » d'Excel)."
        ),
    )

    def clean_file(self):
        # By its size, before anything reads it (the request itself is bounded by
        # core.middleware.RequestHygieneMiddleware).
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_STAFF_UPLOAD_BYTES:
            raise ValidationError(
                _("Le fichier dépasse %(mb)d Mo : rien n'a été lu. Découpez-le, par classe."),
                code="too_big",
                params={"mb": settings.MAX_STAFF_UPLOAD_BYTES // (1024 * 1024)},
            )
        return upload

    def __init__(self, *args, establishments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = establishments


YES = {"oui", "o", "1", "vrai", "x", "yes", "y"}
NO = {"non", "n", "0", "faux", "no"}


class ParentRowForm(ImportRowForm):
    """One row of an imported list of responsables (staff/parent_import.py): one
    responsable and one child, named by identifier or by names and birth date."""

    mobile = forms.CharField(required=False, max_length=40)
    child_identifier = forms.CharField(required=False, max_length=150)
    child_last_name = forms.CharField(required=False, max_length=150)
    child_first_name = forms.CharField(required=False, max_length=150)
    child_birth_date = BirthDateField(required=False)
    legal_representative = forms.CharField(required=False)

    def clean_mobile(self):
        from families.phones import parse_mobile

        mobile = self.cleaned_data["mobile"]
        return parse_mobile(mobile) if mobile else ""

    def clean_legal_representative(self):
        value = self.cleaned_data["legal_representative"].strip().lower()
        if not value or value in YES:
            return True
        if value in NO:
            return False
        raise ValidationError(
            _("attendu « oui » ou « non », pas « %(value)s »."),
            code="invalid",
            params={"value": value[:20]},
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("child_identifier") and "child_birth_date" not in self.errors:
            for name in ["child_last_name", "child_first_name", "child_birth_date"]:
                if not cleaned.get(name):
                    self.add_error(
                        name,
                        ValidationError(
                            _("valeur manquante (ou l'identifiant de l'élève)."), code="required"
                        ),
                    )
        return cleaned


class ParentImportForm(ImportForm):
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "Une ligne par responsable et par enfant : Nom, Prénom, Téléphone portable, "
            "E-mail, puis l'enfant par son identifiant ou par Nom de l'élève, Prénom de "
            "l'élève et Date de naissance de l'élève (JJ/MM/AAAA), et Représentant légal "
            "(oui ou non ; oui si la colonne manque). Séparateur point-virgule ou "
            "virgule ; "
            "UTF-8 ou Windows-1252."
        ),
    )
