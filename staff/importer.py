"""Import of pupils from a SIECLE-style spreadsheet export (CSV).

``plan_import`` reads and checks the whole file and changes nothing: it is the preview. Each
row is checked by ``PupilRowForm`` (staff/forms.py). ``staff.actions.import_with_letters``
applies a plan, its slow work first, then ``do_import_pupils``: everything or nothing.
"""

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.people import person_key
from schools.models import Enrolment
from staff.forms import PupilRowForm

MAX_ROWS = 20000

# Column titles seen in SIECLE and spreadsheet exports, folded (no accents, lower case).
COLUMNS = {
    "last_name": {"nom", "nom de famille", "nom d'usage", "nom eleve"},
    "first_name": {"prenom", "prenom 1", "prenom eleve", "premier prenom"},
    "birth_date": {"date de naissance", "date naissance", "ne(e) le", "nee le", "ne le"},
    "division": {"classe", "division", "classe/division"},
    "ine": {"ine", "numero ine", "n ine"},
    "email": {"e-mail", "email", "mail", "courriel", "adresse mail", "adresse e-mail"},
}
REQUIRED = ["last_name", "first_name", "birth_date"]
LABELS = {
    "last_name": "Nom",
    "first_name": "Prénom",
    "birth_date": "Date de naissance",
    "division": "Classe",
    "ine": "INE",
    "email": "E-mail",
}


def _fold_title(text):
    """A column title as listed in COLUMNS: lower case, no accents, straight apostrophes."""
    text = unicodedata.normalize("NFKD", text.strip().lower().replace("\u2019", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).replace("°", "")


@dataclass
class Problem:
    line: int
    column: str
    message: str

    def __str__(self):
        return _("ligne %(line)d, colonne « %(column)s » : %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class PupilRow:
    line: int
    last_name: str
    first_name: str
    birth_date: date
    division: str = ""
    email: str = ""

    @property
    def key(self):
        return person_key(self.last_name, self.first_name, self.birth_date)


@dataclass
class ImportPlan:
    to_create: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (row, reason)
    problems: list = field(default_factory=list)
    new_classes: list = field(default_factory=list)

    @property
    def is_valid(self):
        return not self.problems


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (Excel's French CSV export)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict")


def read_rows(data: bytes, columns=None, labels=None, check_header=None):
    """The rows as dicts keyed by our field names, or a Problem about the whole file.
    ``check_header(mapping)``: a Problem when a needed column is missing (the pupils' by
    default)."""
    columns, labels = columns or COLUMNS, labels or LABELS
    check_header = check_header or _pupils_header
    if not data.strip():
        return None, Problem(1, "—", _("le fichier est vide."))
    if len(data) > settings.MAX_STAFF_UPLOAD_BYTES:
        return None, Problem(1, "—", _("le fichier dépasse 5 Mo."))
    try:
        text = decode(data)
    except UnicodeDecodeError:
        return None, Problem(
            1, "—", _("fichier illisible : enregistrez-le en CSV (UTF-8 ou Windows-1252).")
        )
    if "\x00" in text:
        return None, Problem(1, "—", _("ce n'est pas un fichier CSV (un tableur .xlsx ?)."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return None, Problem(1, "—", _("en-tête illisible."))
    mapping = {}
    for index, title in enumerate(header):
        folded = _fold_title(title)
        for name, aliases in columns.items():
            if folded in aliases and name not in mapping:
                mapping[name] = index
    problem = check_header(mapping)
    if problem:
        return None, problem
    rows = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                return None, Problem(reader.line_num, "—", _("plus de 20 000 lignes."))
            rows.append(
                (
                    reader.line_num,
                    {
                        name: values[index].strip() if index < len(values) else ""
                        for name, index in mapping.items()
                    },
                )
            )
    except csv.Error as exc:
        return None, Problem(
            reader.line_num, "—", _("ligne illisible (%(error)s).") % {"error": exc}
        )
    return rows, None


def checked_rows(rows, form_class, labels, problems):
    """(line, cleaned data) of each row that ``form_class`` accepts, in order; each error of
    the others goes to ``problems``, under its column's label (``labels``), as it comes."""
    for line, values in rows:
        form = form_class(values)
        if form.is_valid():
            yield line, form.cleaned_data
            continue
        problems.extend(
            Problem(line, labels.get(name, "—"), message)
            for name in [*labels, "__all__"]
            for message in form.errors.get(name, [])
        )


def _pupils_header(mapping):
    missing = [LABELS[name] for name in REQUIRED if name not in mapping]
    if missing:
        return Problem(
            1,
            ", ".join(missing),
            _(
                "colonne absente de l'en-tête (colonnes attendues : Nom, Prénom, Date de "
                "naissance ; facultatives : Classe, INE, E-mail)."
            ),
        )
    return None


def practice_class_refused(division) -> str:
    return _(
        "%(division)s est une classe d'entraînement (élèves inventés) : choisissez une autre "
        "classe."
    ) % {"division": division}


def plan_import(data: bytes, establishment) -> ImportPlan:
    plan = ImportPlan()
    rows, problem = read_rows(data)
    if problem:
        plan.problems.append(problem)
        return plan
    # Invented pupils of practice classes are never taken for real ones, nor the other way.
    existing = {
        person_key(e.user.last_name, e.user.first_name, e.user.birth_date)
        for e in Enrolment.objects.current()
        .filter(establishment=establishment)
        .exclude(school_class__practice=True)
        .select_related("user")
    }
    known_classes = set(establishment.classes.values_list("division", flat=True))
    practice_classes = {
        division.strip().casefold(): division
        for division in establishment.classes.filter(practice=True).values_list(
            "division", flat=True
        )
    }
    seen = {}
    for line, data in checked_rows(rows, PupilRowForm, LABELS, plan.problems):
        row = PupilRow(
            line=line,
            last_name=data["last_name"],
            first_name=data["first_name"],
            birth_date=data["birth_date"],
            division=data["division"],
            email=data["email"],
        )
        practice = practice_classes.get(row.division.strip().casefold())
        if practice is not None:
            plan.problems.append(
                Problem(line, LABELS["division"], practice_class_refused(practice))
            )
        elif row.key in existing:
            plan.skipped.append((row, _("déjà dans l'établissement")))
        elif row.key in seen:
            plan.skipped.append(
                (row, _("en double dans le fichier (ligne %(line)d)") % {"line": seen[row.key]})
            )
        else:
            seen[row.key] = line
            plan.to_create.append(row)
            if row.division and row.division not in known_classes:
                known_classes.add(row.division)
                plan.new_classes.append(row.division)
    return plan
