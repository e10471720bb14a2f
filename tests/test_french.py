"""French that a teacher would sign off: the locale/fr catalogue (French plurals), « 1er »,
third-party wording on pupil pages, and no English left in the admin."""

import gettext
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from core.french import frdate
from pronote.models import FirstVisit
from tests.helpers import page_of
from tests.test_wording import source_strings

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES"


def catalogue(path):
    with open(path, "rb") as mo:
        return gettext.GNUTranslations(mo)._catalog


def test_the_compiled_catalogue_is_the_one_of_the_po_file(tmp_path):
    """`make messages` was run: locale/fr/LC_MESSAGES/django.mo matches django.po."""
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext's msgfmt is needed (Debian package gettext)"
    subprocess.run([msgfmt, "-o", tmp_path / "fresh.mo", LOCALE / "django.po"], check=True)
    assert catalogue(LOCALE / "django.mo") == catalogue(tmp_path / "fresh.mo")


def test_every_string_of_ours_is_in_the_catalogue():
    """A new string without `make messages` would fall back to English plural rules."""
    known = {key if isinstance(key, str) else key[0] for key in catalogue(LOCALE / "django.mo")}
    # Template strings are looked up with « % » doubled, as Django does.
    missing = sorted(
        s for s in source_strings() if s not in known and s.replace("%", "%%") not in known
    )
    assert missing == []


def test_plurals_follow_french_rules():
    """« 0 retard », « 0 erreur », « 1 compte débloqué », never « (s) »."""
    with translation.override("fr"):
        assert ngettext("%(counter)s retard", "%(counter)s retards", 0) == "%(counter)s retard"
        assert ngettext("%(counter)s erreur", "%(counter)s erreurs", 0) == "%(counter)s erreur"
        assert ngettext("%(counter)s erreur", "%(counter)s erreurs", 2) == "%(counter)s erreurs"


def test_school_life_says_0_retard_and_0_absence(accepted, pupil):
    FirstVisit.objects.create(user=pupil)
    page = page_of(accepted.get(reverse("pronote:school_life")))
    assert "0 absence<" in page and "0 retard<" in page
    assert "0 retards" not in page and "0 absences" not in page


def test_the_first_of_the_month_is_1er():
    with translation.override("fr"):
        assert frdate(date(2026, 12, 1), "l j F") == "mardi 1er décembre"
        assert frdate(date(2026, 12, 2), "l j F") == "mercredi 2 décembre"
        assert frdate(date(2026, 12, 1), "j F Y") == "1er décembre 2026"


@pytest.mark.parametrize(
    ("url", "wrong"),
    [
        ("account_email", ["Changer pour", "Courriel", "e-mail"]),
        ("account_reset_password", ["Courriel", "Remarque:", "e-mail"]),
        ("account_logout", ["sûr(e)"]),
        ("usersessions_list", ["Commencé à", "Actuel"]),
    ],
)
def test_allauth_pages_a_pupil_sees_are_in_plain_french(client_pupil, url, wrong):
    page = page_of(client_pupil.get(reverse(url)))
    for text in wrong:
        assert text not in page, text


def test_the_email_page_says_adresse_mail(client_pupil):
    page = page_of(client_pupil.get(reverse("account_email")))
    assert "Nouvelle adresse mail" in page and "Vous n'avez pas encore d'adresse mail." in page


def test_the_admin_has_no_english_left(client, staff_user):
    client.force_login(staff_user)
    session = client.session
    session["allauth_mfa_authenticated"] = True  # as after the TOTP step
    session.save()
    response = client.get(reverse("admin:index"), follow=True)
    page = page_of(response)
    assert "Double authentification" in page, response.redirect_chain
    for english in ["Authenticators", "User Sessions", "Task Results", "MFA", "Tasks Database"]:
        assert english not in page, english


def test_no_string_assumes_the_reader_is_a_boy_or_writes_plurals_with_parentheses():
    """« Vous vous êtes connecté » to Inès, « compte(s) »: what a teacher would correct."""
    import re

    gendered = re.compile(
        r"\b(vous (vous )?(êtes|avez été) (connecté|déconnecté|bloqué|inscrit|sûr)\b|vous seul\b)"
    )
    parenthesised = re.compile(r"\w\((s|e|es)\)")
    wrong = sorted(
        s for s in source_strings() if gendered.search(s.lower()) or parenthesised.search(s)
    )
    assert wrong == []


def test_the_catalogue_has_no_fuzzy_or_empty_entry():
    """msgfmt leaves fuzzy entries out: their plural would follow English rules again."""
    text = (LOCALE / "django.po").read_text()
    assert "#, fuzzy" not in text and ", fuzzy" not in text
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in text


def test_the_admin_home_says_nothing_yet_without_parentheses(client, staff_user):
    client.force_login(staff_user)
    page = page_of(client.get(reverse("admin:index")))
    assert "Aucun(e)" not in page and "Rien pour le moment" in page


def test_the_email_pages_say_adresse_mail_and_offer_the_browsers_address(client_pupil):
    page = page_of(client_pupil.get(reverse("account_email")))
    assert 'autocomplete="email"' in page
    assert "e-mail" not in page.lower()


def test_the_confirmation_page_says_adresse_mail(client, db):
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    from tests.factories import UserFactory

    address = EmailAddress.objects.create(
        user=UserFactory(), email="a@exemple.test", verified=False, primary=True
    )
    key = EmailConfirmationHMAC(address).key
    page = page_of(client.get(reverse("account_confirm_email", args=[key])))
    assert "Confirmer l'adresse mail" in page
    assert "e-mail" not in page.lower()


def test_de_before_an_academie_is_elided_before_a_vowel():
    """« Académie d'Amiens », « académie de Montpellier »: the letter and « Contact »."""
    from core.french import de_name, unbreakable

    assert de_name("Amiens") == "d'Amiens" and de_name("Orléans-Tours") == "d'Orléans-Tours"
    assert de_name("Montpellier") == "de Montpellier" and de_name("") == ""
    assert unbreakable("4e B") == "4e\u00a0B" and unbreakable(None) == ""
