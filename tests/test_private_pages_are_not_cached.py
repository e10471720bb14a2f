"""Private pages carry « Cache-Control: no-store »: on a shared computer, « Back » or a proxy
must never show the previous pupil's grades or identity."""

import pytest
from django.urls import reverse

from pronote.models import FirstVisit


@pytest.mark.parametrize(
    "name",
    ["portal:services", "portal:ent_home", "pronote:grades", "accounts:home", "account_email"],
)
def test_every_page_of_a_signed_in_pupil_is_not_stored(accepted, pupil, name):
    FirstVisit.objects.create(user=pupil)
    response = accepted.get(reverse(name))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_admin_is_not_stored(client, staff_user):
    client.force_login(staff_user)
    assert "no-store" in client.get(reverse("admin:index"))["Cache-Control"]


def test_public_pages_may_be_kept(client, charter):
    assert "no-store" not in client.get(reverse("portal:landing")).get("Cache-Control", "")
