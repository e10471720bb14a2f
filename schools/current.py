"""The establishment a signed-in person is currently looking at (« Mes portails »).

Kept in the session; always one of the person's current enrolments, else the first of them.

The enrolments are read on nearly every page of the portal, the ENT and PRONOTE: one query,
written once (``_query``). Through the ORM (``select_related`` of the establishment and the
class) compiling it cost three times running it and building the objects (README
« Performances »); tests/schools/test_current.py checks it against the ORM's answer.
"""

import functools

from django.db import connections

from schools.models import Enrolment, Establishment, SchoolClass

SESSION_KEY = "current_establishment_id"
MODELS = (Enrolment, Establishment, SchoolClass)
ALIASES = ("e", "s", "c")


def current_enrolments_queryset(user):
    """The same enrolments as a queryset, for whoever needs to filter them further."""
    return (
        Enrolment.objects.current()
        .filter(user=user)
        .select_related("establishment", "school_class")
        .order_by("establishment__name")
    )


@functools.cache
def _query(using):
    """The SQL, and each column's converters as the ORM would apply them (SQLite returns naive
    datetimes, for instance), for this database."""
    connection = connections[using]
    columns, converters = [], []
    for model, alias in zip(MODELS, ALIASES, strict=True):
        for field in model._meta.concrete_fields:
            columns.append(f"{alias}.{connection.ops.quote_name(field.column)}")
            column = field.get_col(alias)
            found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
            if found:
                converters.append((len(columns) - 1, column, found))
    # The columns come from the models' fields, quoted by the database; the user is a parameter.
    sql = (
        f"SELECT {', '.join(columns)} FROM schools_enrolment e "  # noqa: S608
        "JOIN schools_establishment s ON s.id = e.establishment_id "
        "LEFT JOIN schools_schoolclass c ON c.id = e.school_class_id "
        "WHERE e.user_id = %s AND e.left_at IS NULL ORDER BY s.name, e.id"
    )
    return sql, converters


def current_enrolments(user, using="default"):
    """The person's current enrolments, establishment and class loaded, by establishment name."""
    sql, converters = _query(using)
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk])
        rows = cursor.fetchall()
    sizes = [len(model._meta.concrete_fields) for model in MODELS]
    enrolments = []
    for row in rows:
        row = list(row)
        for index, column, functions in converters:
            for function in functions:
                row[index] = function(row[index], column, connection)
        enrolment = Enrolment.from_db(using, None, row[: sizes[0]])
        rest = row[sizes[0] :]
        enrolment.establishment = Establishment.from_db(using, None, rest[: sizes[1]])
        school_class = rest[sizes[1] :]
        enrolment.school_class = (
            None if school_class[0] is None else SchoolClass.from_db(using, None, school_class)
        )
        enrolments.append(enrolment)
    return enrolments


def current_enrolment(request, enrolments=None):
    enrolments = current_enrolments(request.user) if enrolments is None else list(enrolments)
    if not enrolments:
        return None
    wanted = request.session.get(SESSION_KEY)
    return next((e for e in enrolments if e.establishment_id == wanted), enrolments[0])


def set_current_establishment(request, establishment_id) -> bool:
    if (
        not current_enrolments_queryset(request.user)
        .filter(establishment_id=establishment_id)
        .exists()
    ):
        return False
    request.session[SESSION_KEY] = establishment_id
    return True
