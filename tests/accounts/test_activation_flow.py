import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.flows import activation
from audit.models import Action, AuditEvent


@pytest.mark.parametrize(
    ("going_to", "expected"),
    [
        ("/pronote/", "/pronote/"),
        ("https://evil.example/", None),
        ("//evil.example/pronote/", None),
        ("/\\evil.example/", None),
        ("pronote/", None),
    ],
)
def test_continuer_leads_only_to_a_path_of_this_site(going_to, expected):
    """Step 4's « Continuer » follows ``next`` to this site only, else the services page."""
    request = RequestFactory().get(reverse("accounts:activated"), {"next": going_to})
    assert activation.continue_url(request) == (expected or reverse("portal:services"))


def test_a_sign_in_with_a_chosen_password_begins_no_activation(pupil):
    """An activated account goes straight on: nothing kept in the session, nothing audited."""
    request = RequestFactory().post(reverse("account_login"))
    request.session = {}
    assert activation.begin(request, pupil) is False
    assert request.session == {}
    assert not AuditEvent.objects.filter(action=Action.ACTIVATION_STARTED).exists()
