from django.urls import reverse

GOOD_PASSWORD = "Soleil#Vert22"


def sign_in(client, identifier, password):
    return client.post(reverse("account_login"), {"login": identifier, "password": password})


def activate(client, **overrides):
    data = {
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "birth_date": "14/03/2012",
        "email": "",
        **overrides,
    }
    return client.post(reverse("accounts:activate"), data)
