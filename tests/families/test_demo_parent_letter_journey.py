"""docs/parents.md's second exercise, through HTTP: Marc Counen activates the collège's letter,
confirms the address from the mail, then groups the lycée's letter (Lina) in « Mes enfants »."""

import json
import re
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from families.models import ParentLink
from tests.helpers import GOOD_PASSWORD, activate, page_of, sign_in


def test_marc_activates_a_letter_confirms_the_address_and_groups_the_other(
    client, charter, django_capture_on_commit_callbacks
):
    out = StringIO()
    call_command("demo", "--json", stdout=out)
    letters = {
        a["identifier"]: a
        for a in json.loads(out.getvalue())
        if a["role"] == "parent" and a["password"]
    }
    college = next(a for a in letters.values() if len(a["children"]) == 2)
    lycee = next(a for a in letters.values() if len(a["children"]) == 1)

    sign_in(client, college["identifier"], college["password"])
    with django_capture_on_commit_callbacks(execute=True):
        activate(client, email="marc@example.org")
    link = re.search(r"https?://testserver(/\S+)", mail.outbox[-1].body).group(1)
    client.post(link)
    client.get(sign_in(client, college["identifier"], GOOD_PASSWORD)["Location"], follow=True)

    response = client.post(
        reverse("families:children"),
        {"identifier": lycee["identifier"], "password": lycee["password"]},
    )
    assert response["Location"] == reverse("families:children")
    page = page_of(client.get(reverse("families:children")))
    assert "Lina Counen" in page and "Théo Counen" in page and "Tom Counen" in page
    assert ParentLink.objects.filter(parent__username=college["identifier"]).count() == 3
