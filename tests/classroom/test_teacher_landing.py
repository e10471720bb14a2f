"""A teacher signs in (on the staff's sign-in page, or the pupils' one) and lands on « Mes
classes », which the page header offers them (and only them)."""

from django.urls import reverse

from tests.helpers import GOOD_PASSWORD, page_of, sign_in


def test_a_teacher_lands_on_my_classes_after_signing_in(client, teacher):
    response = sign_in(client, teacher.username, GOOD_PASSWORD)
    assert response["Location"] == reverse("classroom:classes")
    assert "Mes classes" in page_of(client.get(response["Location"]))


def test_a_pupil_still_lands_on_the_services(client, pupil):
    assert sign_in(client, pupil.username, GOOD_PASSWORD)["Location"] == reverse("portal:services")


def test_the_header_offers_my_classes_to_teachers_only(client, teacher, pupil):
    client.force_login(teacher)
    link = f'href="{reverse("classroom:classes")}"'
    assert link in page_of(client.get(reverse("portal:services")))
    client.force_login(pupil)
    assert link not in page_of(client.get(reverse("portal:services")))


def test_the_teacher_profile_of_the_wayf_leads_to_the_staff_sign_in_page(client, db):
    response = client.get(reverse("portal:profile_choice"), {"profil": "enseignant", "valider": ""})
    page = page_of(client.get(response["Location"]))
    assert f'href="{reverse("accounts:staff_login")}"' in page


def test_signed_out_my_classes_asks_for_the_staff_sign_in_without_letter_hints(client, teacher):
    response = client.get(reverse("classroom:classes"))
    assert response["Location"].startswith(reverse("accounts:staff_login") + "?next=")
    page = page_of(client.get(response["Location"]))
    assert "Mes classes" in page and "celui du courrier" not in page
    signed_in = client.post(
        response["Location"], {"login": teacher.username, "password": GOOD_PASSWORD}
    )
    assert signed_in["Location"] == reverse("classroom:classes")
    assert "Mes classes" in page
