"""The end-of-lesson report of a séance as a CSV a spreadsheet opens, written once for the
admin's séance and the teacher's space (classroom/)."""

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from staff import session
from staff.funnel import STEPS, csv_download, safe_cell


def seance_csv(school_class, card_list, since):
    """The CSV download of ``session.report``: steps reached, median time, who needed help."""
    summary = session.report(school_class, card_list, since)
    name = slugify(f"seance-{school_class.division}-{timezone.localdate():%Y-%m-%d}")
    response, writer = csv_download(name)
    since = f"{timezone.localtime(since):%d/%m/%Y %H:%M}" if since else ""
    practice = [_("classe d'entraînement (élèves inventés)")] if school_class.practice else []
    writer.writerow([_("Séance"), safe_cell(str(school_class)), since, *practice])
    writer.writerow([_("Élèves"), summary["total"]])
    for bar in summary["bars"]:
        writer.writerow([safe_cell(str(bar["label"])), bar["count"], f"{bar['percent']} %"])
    median = summary["median_minutes"]
    writer.writerow(
        [_("Temps médian du courrier à PRONOTE (minutes)"), "" if median is None else median]
    )
    writer.writerow([])
    writer.writerow([_("Nom"), _("Prénom"), _("Étape"), _("Difficulté"), _("Aide reçue")])
    for card in summary["helped"]:
        writer.writerow(
            [
                safe_cell(card.user.last_name),
                safe_cell(card.user.first_name),
                safe_cell(str(dict(STEPS)[card.step])),
                safe_cell(" ; ".join(str(r) for r in card.reasons)),
                safe_cell(", ".join(str(h) for h in card.helped)),
            ]
        )
    return response
