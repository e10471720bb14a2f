"""The words of our pages, letters and messages, read as a French teacher would: French
typography (a non-breaking space inside « » and before : ; ! ?), no gendered past participle
about a person, one form of address per page and per letter's audience (« vous » or « tu »,
never both), and help examples that are no demo account's real answers.

The strings are read from their sources (templates' {% translate %} and {% blocktranslate %},
Python's gettext calls): the catalogue's msgids are made from them by `make messages`."""

import ast
import json
import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "accounts",
    "audit",
    "charter",
    "classroom",
    "core",
    "families",
    "idp",
    "portal",
    "pronote",
    "schools",
    "staff",
]
GETTEXT = {
    "_",
    "_lazy",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
}
NBSP = "\u00a0\u202f"

TRANSLATE = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.*?)\1""", re.S)
BLOCK = re.compile(
    r"{%\s*(?:blocktranslate|blocktrans)\b[^%]*%}(.*?){%\s*(?:endblocktranslate|endblocktrans)\s*%}",
    re.S,
)


def template_strings(text):
    strings = [m.group(2) for m in TRANSLATE.finditer(text)]
    for m in BLOCK.finditer(text):
        strings += re.split(r"{%\s*plural\s*%}", m.group(1))
    return strings


def templates():
    return sorted(p for p in (ROOT / "templates").rglob("*") if p.suffix in {".html", ".txt"})


# Where a bare string is a label all the same: a field's, an admin column's or action's
# (@admin.display(description=…), short_description = …), an app's.
LABELS = {
    "description",
    "empty_value_display",
    "help_text",
    "label",
    "short_description",
    "verbose_name",
    "verbose_name_plural",
}


def python_strings(path):
    """The strings of a module that someone reads: its gettext calls' (a models module's labels,
    help texts and choices included, migrations or not), and its bare labels."""
    found = []
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in LABELS:
            value = node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            name = getattr(target, "id", None) or getattr(target, "attr", None)
            value = node.value if name in LABELS else None
        else:
            value = None
        if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
            found.append(value.value)
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in GETTEXT:
                for arg in node.args[:2]:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.append(arg.value)
    return found


def our_strings():
    """(where, text) of every string of ours, templates then Python."""
    out = []
    for path in templates():
        out += [(str(path.relative_to(ROOT)), s) for s in template_strings(path.read_text())]
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            out += [(str(path.relative_to(ROOT)), s) for s in python_strings(path)]
    return out


# A phone number (« 06 39 98 00 01 », « 06 39 98 … », masked « 06 ** ** ** 01 »), whatever
# separates its groups: a plain space among them lets it split across two lines.
PHONE = re.compile(
    r"(?<![\w.])(?:0[1-9]|\+33[ \u00a0]?[1-9])(?:[ \u00a0](?:\d\d|\*\*|…)){2,}(?!\w)"
)


def typography_problems(text):
    problems = []
    bare = re.sub(r"{{.*?}}|{%.*?%}|<[^>]*>", "", text, flags=re.S)
    if re.search(rf"[^\S{NBSP}][:;!?]", bare):
        problems.append("a plain space before : ; ! or ?")
    if re.search(rf"«(?![{NBSP}])", bare) or re.search(rf"(?<![{NBSP}])»", bare):
        problems.append("« » without a non-breaking space inside")
    if any(" " in m.group() for m in PHONE.finditer(bare)):
        problems.append("a phone number with plain spaces between its groups")
    return problems


def test_french_strings_have_non_breaking_spaces_where_french_typography_wants_them():
    strings = our_strings()
    assert len(strings) > 500
    problems = [
        f"{where}: {problem}: {text[:90]!r}"
        for where, text in strings
        for problem in typography_problems(text)
    ]
    assert problems == [], f"{len(problems)} strings:\n" + "\n".join(problems[:40])


def test_every_translation_of_our_catalogue_has_french_typography():
    """The catalogue's own wording, chiefly locale/fr/overrides.po's for django-allauth's pages
    (« Mot de passe perdu ? », « Voulez-vous vraiment continuer ? »): what the pages show."""
    import gettext

    with open(ROOT / "locale/fr/LC_MESSAGES/django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)._catalog
    assert len(catalogue) > 500
    problems = [
        f"{problem}: {text[:90]!r}"
        for key, text in catalogue.items()
        if key  # the header
        for problem in typography_problems(text)
    ]
    assert problems == [], f"{len(problems)} translations:\n" + "\n".join(problems[:40])


# « de », « que », « le »… before a value: elided before a vowel (« d'Entraînement 1 »,
# « qu'alice@… »), which a sentence cannot know for a name, a class or an address. Numbers and
# dates are fine (« de 3 », « le 14/03 »); a name goes after a noun (« de la classe 4e B »,
# « de l'adresse… ») or core/french.py's ``de_name``/``de_subject`` elides it.
ELIDED_BEFORE = re.compile(
    r"\b(?:de|que|le|la|je|me|te|se|ne) (?:{{ ?(\w+)[^}]*}}|%\((\w+)\)[sd])", re.I
)
NUMBERS_AND_DATES = {
    "count",
    "counter",
    "date",
    "day",
    "departed",
    "due",
    "given",
    "limit_kb",
    "minutes",
    "months",
    "seconds",
    "since",
    "start",
    "total",
    "until",
}


def unelided_values(text):
    return [
        m.group()
        for m in ELIDED_BEFORE.finditer(text)
        if (m.group(1) or m.group(2)) not in NUMBERS_AND_DATES
    ]


def test_no_word_that_elides_comes_before_a_name():
    problems = [f"{where}: {v}" for where, text in our_strings() for v in unelided_values(text)]
    assert problems == []


def test_the_elision_check_sees_a_name_after_de():
    assert unelided_values("Suivre la séance de {{ division }}")
    assert unelided_values("Confirmez que {{ email }} est bien…")
    assert unelided_values("Académie de %(academie)s")
    assert not unelided_values("Suivre la séance de la classe {{ division }}")
    assert not unelided_values("Académie {{ academie }}, au plus tard le {{ date }}, de %(count)d")


# Past participles that say a person is a boy: « Anaïs est débloqué », « Arrivé dans PRONOTE »,
# « inscrit par SMS », a status « Parti » or « Bloqué (15 min) », « déjà inscrit ». Said of the
# account (« Compte bloqué »), as a noun (« Départ », « Inscription par SMS ») or with a verb in
# the active voice instead.
PERSON = (
    r"(bloqué|débloqué|parti|inscrit|réinscrit|désinscrit|arrivé|connecté|déconnecté|activé"
    r"|désactivé|aidé|perdu|sorti|venu|revenu|né|absent)s?"
)
GENDERED = [
    re.compile(r"(%\(\w*name\w*\)s|{{ ?\w*name\w* ?}}) (est|a été) \w+é\b"),
    re.compile(r"^Arrivée? dans\b"),
    re.compile(r"(?<!s')\binscrite? par\b", re.I),  # not « s'inscrit par SMS »
    re.compile(r"\bPas encore connectée?\b", re.I),
    # A label or status that is, or starts with, such a participle: « Parti », « Bloqué (15 min) »,
    # « %(identifier)s — parti le… », « Remarque : bloqué ».
    re.compile(rf"(^|[—(:] ?){PERSON}(?!\w)", re.I),
    # « est parti », « a été bloqué », « déjà inscrit », « aussi inscrit », « comme parti ».
    re.compile(rf"\b(est|sont|a été|ont été|aussi|déjà|encore|pas|comme) {PERSON}(?!\w)", re.I),
    # A person named by an epicene noun: « Responsable parti », « élève inscrit ».
    re.compile(
        rf"\b(élève|responsable|enfant|personne|parent|enseignant|utilisateur) {PERSON}(?!\w)",
        re.I,
    ),
]
# The participle is about a thing when the thing is written in the same sentence (« ce compte est
# déjà activé », « votre identifiant, lui, n'est pas bloqué »), and agrees with no one after
# « avoir » (« a déjà activé son compte »).
THING = re.compile(r"\b(compte|courrier|mot de passe|identifiant|lien|code|fichier)s?\b", re.I)
ACTIVE_VOICE = re.compile(r"\b(ai|as|a|avons|avez|ont)\s+$", re.I)


def assumes_a_boy(text):
    flat = re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))
    for pattern in GENDERED:
        for match in pattern.finditer(flat):
            before = flat[: match.start()]
            sentence = re.split(r"[.:;!?—]", before)[-1]
            if THING.search(sentence) or ACTIVE_VOICE.search(before):
                continue
            return True
    return False


def test_no_past_participle_assumes_a_person_is_a_boy():
    problems = [f"{where}: {text[:90]!r}" for where, text in our_strings() if assumes_a_boy(text)]
    assert problems == []


def test_the_gendered_patterns_are_caught():
    for text in [
        "%(name)s est débloqué.",
        "Arrivé dans PRONOTE",
        "inscrit par SMS",
        "Parti",
        "Bloqué (%(minutes)d min)",
        "Bloqué",
        "Inscrits par SMS",
        "Aidé\u00a0:",
        "Activé",
        "déjà inscrit dans l'établissement",
        "Rien à importer\u00a0: tous ces élèves sont déjà inscrits.",
        "Aussi inscrit dans un autre établissement\u00a0: un superutilisateur peut l'aider.",
        "Oui, marquer comme parti",
        "Responsable parti\u00a0: tous ses enfants ont quitté l'établissement",
        "%(identifier)s — parti le %(departed)s",
        "(déjà activé)",
        "Pas encore connecté",
        "Absent",
    ]:
        assert assumes_a_boy(text), text
    for text in [
        "%(name)s : compte débloqué.",
        "Dans PRONOTE",
        "inscription par SMS",
        "Départ",
        "Compte bloqué (%(minutes)d min)",
        "Blocage",
        "Aide reçue\u00a0:",
        "Compte activé",
        "Mot de passe perdu",
        "Identifiant perdu",
        "Courrier bloqué (dates de naissance erronées)",
        "déjà dans l'établissement",
        "Ce compte est aussi inscrit dans un autre établissement\u00a0: seul un superutilisateur…",
        "Ce compte n'est pas encore activé\u00a0: il s'ouvre avec le courrier.",
        "Votre identifiant, lui, n'est pas bloqué.",
        "Une personne de la liste a déjà activé son compte.",
        "les comptes déjà activés repassent par l'activation.",
        "Partiellement conforme",
        "Absence",
        "Enregistrer le départ\u00a0?",
    ]:
        assert not assumes_a_boy(text), text


TU = re.compile(r"\b(tu|ton|ta|tes|toi)\b|\bt'|\b(écris|clique|choisis)\b", re.I)
VOUS = re.compile(r"\b(vous|votre|vos)\b", re.I)
# One audience per branch: the letter is a parent's or a pupil's.
AUDIENCE_SPLIT = re.compile(r"{%\s*(?:if user\.role|else|endif)\b[^%]*%}")


def address_mix(text):
    """True if one audience's strings say both « vous » and « tu » (quotes of the screens,
    « Activer votre compte », left out)."""
    strings = [re.sub(r"«[^»]*»", "", s) for s in template_strings(text)]
    joined = " ".join(strings)
    return bool(TU.search(joined) and VOUS.search(joined))


def test_no_page_or_letter_mixes_vous_and_tu():
    problems = []
    for path in templates():
        text = path.read_text()
        parts = AUDIENCE_SPLIT.split(text) if "user.role" in text else [text]
        if any(address_mix(part) for part in parts):
            problems.append(str(path.relative_to(ROOT)))
    assert problems == []


def test_the_letter_speaks_to_a_parent_with_vous_and_to_a_pupil_with_tu():
    text = (ROOT / "templates/staff/letters.html").read_text()
    parent, pupil = text.split('{% if user.role == "parent" %}', 1)[1].split("{% else %}", 1)
    assert "N'écrivez jamais vos vrais identifiants" in parent and " tes " not in parent
    assert "N'écris jamais tes vrais identifiants" in pupil
    assert "pour une seule connexion" not in text
    assert "jusqu'à l'activation du compte" in text


@pytest.mark.django_db(transaction=True)
def test_no_help_example_is_a_demo_accounts_real_answer(charter):
    out = StringIO()
    call_command("demo", "--json", stdout=out)
    accounts = json.loads(out.getvalue())
    identifiers = {a["identifier"] for a in accounts if a["role"] in {"eleve", "parent"}}
    dates = set()
    for account in accounts:
        if account["birth_date"]:
            year, month, day = account["birth_date"].split("-")
            dates |= {f"{day} {month} {year}", f"{day}/{month}/{year}", f"{day}{month}{year}"}
            dates.add(f"{day}{month}{year[2:]}")
    # The demo responsables' mobiles, digits only (« 0639980001 »).
    phones = {digits_of(a["mobile"]) for a in accounts if a.get("mobile")}
    assert "0639980001" in phones  # Sandrine Counen's, the SMS registration's example
    problems = []
    for where, text in our_strings():
        words = set(re.findall(r"[\w.]+", text))
        problems += [f"{where}: {i}" for i in identifiers & words]
        flat = text.replace("\u00a0", " ")
        problems += [f"{where}: {d}" for d in dates if d in flat]
        problems += [f"{where}: {p}" for p in phones & phones_in(text)]
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_the_demo_data_has_french_typography(charter):
    """What `manage.py demo` writes and the pages show as it is (PRONOTE's « Croquis : la
    France », the homework, the establishments' messages…): every text of every model. The
    charter is left out: a published text, changed only by a new version to accept."""
    from django.apps import apps
    from django.db import models

    from pronote.models import Evaluation

    call_command("demo", "--json", stdout=StringIO())
    problems = []
    for model in apps.get_models():
        if model._meta.label == "charter.Charter":
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        for row in model.objects.values_list(*fields) if fields else []:
            for name, value in zip(fields, row, strict=True):
                if isinstance(value, str):
                    problems += [
                        f"{model._meta.label}.{name}: {problem}: {value[:90]!r}"
                        for problem in typography_problems(value)
                    ]
    assert sorted(set(problems)) == []
    assert Evaluation.objects.filter(title="Croquis\u00a0: la France").exists()


def test_a_demo_seeded_with_plain_spaces_is_renamed_not_doubled(db, school_class):
    """A database seeded by an earlier demo (« Contrôle : fractions »): the next run renames."""
    from pronote import demo
    from pronote.models import Evaluation, Homework, Subject

    subjects = {
        name: Subject.objects.create(name=name, color=colour)
        for name, colour in demo.SUBJECTS.items()
    }
    today = date(2026, 12, 3)
    Evaluation.objects.create(
        school_class=school_class,
        subject=subjects["Mathématiques"],
        title="Contrôle : fractions",
        date=today,
        out_of=20,
        coefficient=2,
    )
    Homework.objects.create(
        school_class=school_class,
        subject=subjects["SVT"],
        given_on=today,
        due_on=today,
        description="Réviser la digestion : interrogation.",
    )
    demo._evaluations(school_class, subjects, today)
    demo._homework(school_class, subjects, today)
    titles = list(Evaluation.objects.filter(title__startswith="Contrôle").values_list("title"))
    assert titles == [("Contrôle\u00a0: fractions",)]
    assert not Homework.objects.filter(description__contains=" :").exists()


def digits_of(phone):
    """« 06 39 98 00 01 », « +33 6 39 98 00 01 » → « 0639980001 »."""
    digits = re.sub(r"\D", "", phone)
    return "0" + digits[2:] if phone.lstrip().startswith("+33") else digits


def phones_in(text):
    """The phone numbers written in ``text``, digits only, however their groups are separated."""
    found = re.findall(r"(?<![\w+])(?:\+33|0)(?:[\s.]?\d){9}(?!\d)", text)
    return {digits_of(phone) for phone in found}


def test_phone_numbers_are_read_however_they_are_written():
    text = "Par exemple\u00a0: 06\u00a039\u00a098\u00a000\u00a001, +33 6 39 98 00 02 ou 0639980003."
    assert phones_in(text) == {"0639980001", "0639980002", "0639980003"}
    assert phones_in("de 06 39 98 00 00 à 06 39 98 99 99, le 14/03/2012") == {
        "0639980000",
        "0639989999",
    }


def test_the_checks_read_labels_help_texts_choices_and_admin_columns(tmp_path):
    module = tmp_path / "models.py"
    module.write_text(
        "class State(models.TextChoices):\n"
        "    DEPARTED = 'departed', _('Parti')\n"
        "class User(models.Model):\n"
        "    left_at = models.DateTimeField(_('parti le'), help_text=_('Vide : présent.'))\n"
        "class UserAdmin(admin.ModelAdmin):\n"
        "    @admin.display(description=_('Bloqué'))\n"
        "    def locked(self, obj):\n"
        "        return ''\n"
        "    @admin.action(description='Marquer comme parti')\n"
        "    def depart(self, request, queryset):\n"
        "        pass\n"
        "    depart.short_description = 'Départ ?'\n"
    )
    assert set(python_strings(module)) == {
        "Parti",
        "parti le",
        "Vide : présent.",
        "Bloqué",
        "Marquer comme parti",
        "Départ ?",
    }


def test_the_typography_check_sees_plain_spaces():
    assert typography_problems("Besoin d'aide ?") and typography_problems("« Valider »")
    assert not typography_problems("Besoin d'aide\u00a0? «\u00a0Valider\u00a0»")
    assert not typography_problems("{{ name }}\u00a0: <a href='x:y'>lien</a>")
    for phone in ["06 39 98 00 01", "(06 39 98 …)", "06 ** ** ** 01", "+33 6 39 98 00 01"]:
        assert typography_problems(f"Par exemple\u00a0: {phone}."), phone
    for text in [
        "Par exemple\u00a0: 06\u00a039\u00a098\u00a012\u00a034.",
        "(06\u00a039\u00a098\u00a0…)",
        "né le 03 10 2012, à 10 h, 0639980001",
    ]:
        assert not typography_problems(text), text


def test_phone_numbers_are_formatted_with_non_breaking_spaces():
    """The numbers a page shows (« Messages reçus au… », the masked one of « Code reçu par
    SMS »), made by families/phones.py: no plain space for a line to break at."""
    from families.phones import masked, national

    for shown in [national("+33639980001"), masked("+33639980001"), national("+441632960001")]:
        assert " " not in shown and not typography_problems(shown), shown
