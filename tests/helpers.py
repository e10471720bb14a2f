import html
from datetime import date


def page_of(response):
    """The text of a response as a person reads it: HTML entities decoded."""
    return html.unescape(response.content.decode())


def fill_birth_date(page, iso_date):
    """The three boxes « Jour », « Mois », « Année », as a pupil types them."""
    birth = date.fromisoformat(iso_date)
    page.get_by_label("Jour", exact=True).fill(f"{birth.day:02d}")
    page.get_by_label("Mois", exact=True).fill(f"{birth.month:02d}")
    page.get_by_label("Année", exact=True).fill(str(birth.year))
