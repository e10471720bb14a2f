from django.urls import reverse

GOOD_PASSWORD = "Soleil#Vert22"


def sign_in(client, identifier, password):
    return client.post(reverse("account_login"), {"login": identifier, "password": password})


def activate(client, birth_date="14/03/2012", **overrides):
    """Post the activation form; ``birth_date`` "JJ/MM/AAAA" fills the three boxes."""
    day, month, year = (birth_date.split("/") + ["", "", ""])[:3]
    data = {
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "birth_day": day,
        "birth_month": month,
        "birth_year": year,
        "email": "",
        **overrides,
    }
    return client.post(reverse("accounts:activate"), data)
