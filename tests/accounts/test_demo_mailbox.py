"""« Boîte mail de démonstration » (accounts/mail.py): the mail of invented addresses (domains
reserved for examples) is kept for a page, so that a class practises the parent's confirmation
and « Mot de passe perdu »; the mail of any other address goes to the configured backend only."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import timezone

from accounts.actions import do_issue_credentials
from accounts.mail import is_reserved
from accounts.models import DemoEmail
from tests.factories import ParentFactory, UserFactory
from tests.helpers import GOOD_PASSWORD, activate, page_of, sign_in

MAILBOX = reverse("accounts:demo_mailbox")


@pytest.fixture
def demo_mailbox(settings):
    """The wrapper installed as in `make run` (pytest-django puts locmem in its place), around
    the memory backend, so that what is forwarded lands in ``mail.outbox``."""
    settings.EMAIL_BACKEND = "accounts.mail.DemoMailboxBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def links_on(page):
    return re.findall(r'href="https?://testserver(/[^"]+)"', page)


@pytest.mark.parametrize(
    "address",
    [
        "parent@exemple.test",
        "Parent@Exemple.TEST",
        "x@example.com",
        "x@example.net",
        "x@example.org",
        "x@mail.example.org",
        "x@ecole.example",
        "Marc <marc@exemple.test>",
    ],
)
def test_addresses_at_domains_reserved_for_examples_are_invented(address):
    assert is_reserved(address)


@pytest.mark.parametrize(
    "address",
    ["x@example.fr", "x@test.fr", "x@examplecom", "x@exemple.com", "test", "@exemple.test", ""],
)
def test_other_addresses_are_real(address):
    assert not is_reserved(address)


def test_a_parent_confirms_an_invented_address_from_the_demo_mailbox(
    client, db, demo_mailbox, django_capture_on_commit_callbacks
):
    """A parent with a letter types parent@exemple.test, reads the link in the demo mailbox and
    following it confirms the address: the account opens."""
    child = UserFactory(first_name="Théo", last_name="Counen")
    parent = ParentFactory(first_name="Sandrine", last_name="Counen", children=[child])
    letter = do_issue_credentials(parent)
    sign_in(client, letter.identifier, letter.password)
    form = page_of(client.get(reverse("accounts:activate")))
    assert "Pour vous entraîner sans vraie adresse : prenom@exemple.test" in form
    # Two sentences, a full stop between them.
    assert "nom@domaine.fr. Pour vous entraîner" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = activate(client, email="parent@exemple.test")
    assert response["Location"] == reverse("accounts:email_required")
    waiting = page_of(client.get(response["Location"]))
    assert "Boîte mail de démonstration" in waiting
    assert f"{MAILBOX}?adresse=parent%40exemple.test" in waiting
    assert mail.outbox == []  # kept, never sent

    page = page_of(client.get(MAILBOX, {"adresse": "parent@exemple.test"}))
    assert "Mails reçus à parent@exemple.test" in page
    [link] = [link for link in links_on(page) if "/confirm-email/" in link]
    client.post(link)
    assert EmailAddress.objects.get(user=parent).verified
    response = client.get(
        sign_in(client, letter.identifier, GOOD_PASSWORD)["Location"], follow=True
    )
    assert response.wsgi_request.user == parent


def test_mot_de_passe_perdu_with_an_invented_address_lands_in_the_demo_mailbox(
    client, pupil, demo_mailbox
):
    EmailAddress.objects.create(user=pupil, email="theo@exemple.test", verified=True, primary=True)
    response = client.post(reverse("account_reset_password"), {"email": "theo@exemple.test"})
    done = page_of(client.get(response["Location"]))
    assert f"{MAILBOX}?adresse=theo%40exemple.test" in done
    page = page_of(client.get(MAILBOX, {"adresse": "theo@exemple.test"}))
    [link] = [link for link in links_on(page) if "/password/reset/key/" in link]
    assert pupil.username in page
    assert client.get(link, follow=True).status_code == 200
    assert mail.outbox == []


def test_the_done_page_of_a_real_address_has_no_mailbox_link(client, pupil, demo_mailbox):
    client.post(reverse("account_reset_password"), {"email": "theo@exemple.test"})
    response = client.post(reverse("account_reset_password"), {"email": "theo@ecole.fr"})
    assert MAILBOX not in page_of(client.get(response["Location"]))


def test_identifiant_perdu_links_to_the_mailbox_of_an_invented_address(client, db, demo_mailbox):
    page = page_of(client.post(reverse("accounts:lost_identifier"), {"email": "x@example.com"}))
    assert f"{MAILBOX}?adresse=x%40example.com" in page
    assert DemoEmail.objects.filter(to="x@example.com").count() == 1


def test_a_real_address_is_never_kept_and_goes_to_the_configured_backend(db, demo_mailbox):
    sent = get_connection().send_messages(
        [
            EmailMessage("Lien", "https://x/1", to=["parent@famille.fr"]),
            EmailMessage("Lien", "https://x/2", to=["a@exemple.test", "b@famille.fr"]),
        ]
    )
    assert sent == 2
    assert [m.to for m in mail.outbox] == [["parent@famille.fr"], ["b@famille.fr"]]
    assert list(DemoEmail.objects.values_list("to", flat=True)) == ["a@exemple.test"]


def test_the_page_shows_nothing_for_a_real_address_and_says_why(client, db, demo_mailbox):
    DemoEmail.objects.create(to="parent@famille.fr", subject="Secret", body="ne pas montrer")
    page = page_of(client.get(MAILBOX, {"adresse": "parent@famille.fr"}))
    assert "n'est pas une adresse inventée" in page
    assert "ne pas montrer" not in page and "Mails reçus" not in page


def test_the_mailbox_shows_the_last_day_newest_first_and_escapes_the_body(client, db, demo_mailbox):
    old = DemoEmail.objects.create(to="p@exemple.test", subject="Ancien", body="vieux")
    DemoEmail.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=2))
    DemoEmail.objects.create(to="p@exemple.test", subject="Premier", body="un")
    DemoEmail.objects.create(
        to="p@exemple.test", subject="Second", body="<script>x</script> http://testserver/a"
    )
    DemoEmail.objects.create(to="autre@exemple.test", subject="Autre", body="pas à vous")
    response = client.get(MAILBOX, {"adresse": "P@exemple.test"})
    html = response.content.decode()
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html
    assert '<a href="http://testserver/a"' in html
    page = page_of(response)
    assert page.index("Second") < page.index("Premier")
    assert "Ancien" not in page and "pas à vous" not in page


def test_sending_purges_the_mail_older_than_a_day(db, demo_mailbox):
    old = DemoEmail.objects.create(to="p@exemple.test", subject="Ancien", body="vieux")
    DemoEmail.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=2))
    EmailMessage("Nouveau", "neuf", to=["q@exemple.test"]).send()
    assert list(DemoEmail.objects.values_list("subject", flat=True)) == ["Nouveau"]


def test_the_mailbox_explains_a_mistyped_address_under_its_field(client, db, demo_mailbox):
    page = page_of(client.get(MAILBOX, {"adresse": "parent@"}))
    assert "Saisissez une adresse mail valide, par exemple parent@exemple.test." in page
    assert 'aria-invalid="true"' in page


def test_a_server_without_the_mailbox_says_so_and_shows_nothing(client, db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DemoEmail.objects.create(to="p@exemple.test", subject="Gardé", body="avant")
    page = page_of(client.get(MAILBOX, {"adresse": "p@exemple.test"}))
    assert "fermée sur ce serveur" in page and "avant" not in page


def test_mon_compte_links_an_unverified_invented_address_to_the_mailbox(
    client, issued, demo_mailbox, django_capture_on_commit_callbacks
):
    sign_in(client, issued.identifier, issued.password)
    with django_capture_on_commit_callbacks(execute=True):
        activate(client, email="theo@exemple.test")
    page = page_of(client.get(reverse("accounts:home")))
    assert "en attente de vérification" in page
    assert f"{MAILBOX}?adresse=theo%40exemple.test" in page
    assert DemoEmail.objects.filter(to="theo@exemple.test").count() == 1
