"""PRONOTE's state changes, one function each (docs/architecture.md, « Le trajet d'un changement
d'état »): atomic, called by the views; none re-implemented elsewhere."""

from django.db import transaction

from pronote.models import FirstVisit


@transaction.atomic
def do_record_first_visit(user) -> FirstVisit:
    """« C'est votre première connexion à PRONOTE » is passed: its time is kept, once (a second
    click, or a second tab, keeps the first). No audit row, as for every PRONOTE page: this
    row is the trace, read by the staff's « Suivi des comptes » and the séance."""
    visit, _created = FirstVisit.objects.get_or_create(user=user)
    return visit
