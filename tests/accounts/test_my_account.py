from django.test import Client
from django.urls import reverse

from tests.helpers import GOOD_PASSWORD, page_of, sign_in


def test_mon_compte_shows_the_identity_read_only(client_pupil, pupil):
    page = page_of(client_pupil.get(reverse("accounts:home")))
    for text in ["t.counen1", "Counen", "Théo", "14/03/2012", "Collège Alfred Bruzet", "4e B"]:
        assert text in page, text
    identity = page.split('<dl class="identity">', 1)[1].split("</dl>", 1)[0]
    assert "<input" not in identity


def test_changing_the_password_asks_for_the_current_one(client_pupil, pupil):
    url = reverse("account_change_password")
    wrong = client_pupil.post(
        url, {"oldpassword": "Pas#leBon1", "password1": "Autre#Chose9", "password2": "Autre#Chose9"}
    )
    assert wrong.status_code == 200
    pupil.refresh_from_db()
    assert pupil.check_password(GOOD_PASSWORD)
    weak = client_pupil.post(
        url, {"oldpassword": GOOD_PASSWORD, "password1": "autrechose", "password2": "autrechose"}
    )
    assert "au moins 1 majuscule" in page_of(weak)
    client_pupil.post(
        url,
        {"oldpassword": GOOD_PASSWORD, "password1": "Autre#Chose9", "password2": "Autre#Chose9"},
    )
    pupil.refresh_from_db()
    assert pupil.check_password("Autre#Chose9")


def test_the_sessions_page_signs_out_the_other_sessions(client, pupil):
    other = Client()
    sign_in(other, pupil.username, GOOD_PASSWORD)
    sign_in(client, pupil.username, GOOD_PASSWORD)
    page = page_of(client.get(reverse("usersessions_list")))
    assert page.count("<tr") >= 3  # header + two sessions
    client.post(reverse("usersessions_list"))
    assert client.get(reverse("accounts:home")).status_code == 200
    assert other.get(reverse("accounts:home")).status_code == 302


def test_a_sign_in_writes_its_session_in_one_statement_and_the_purge_drops_ended_ones(
    client, pupil, django_assert_max_num_queries
):
    from allauth.usersessions.models import UserSession

    from accounts.sessions import purge_ended_sessions

    for _ in range(3):  # sessions left open elsewhere are not walked at the next sign-in
        sign_in(Client(), pupil.username, GOOD_PASSWORD)
    ended = Client()
    sign_in(ended, pupil.username, GOOD_PASSWORD)
    ended.post(reverse("account_logout"))
    assert UserSession.objects.filter(user=pupil).count() == 4
    with django_assert_max_num_queries(12) as queries:
        sign_in(client, pupil.username, GOOD_PASSWORD)
    sessions_sql = [q["sql"] for q in queries.captured_queries if "usersessions" in q["sql"]]
    assert len(sessions_sql) == 1 and sessions_sql[0].startswith("INSERT")
    assert purge_ended_sessions() == 1  # the one signed out
    assert UserSession.objects.filter(user=pupil).count() == 4
