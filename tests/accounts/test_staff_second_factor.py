from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from tests.factories import UserFactory
from tests.helpers import GOOD_PASSWORD, sign_in


def current_code(identifier):
    out = StringIO()
    call_command("totp_code", identifier, stdout=out)
    return out.getvalue().strip()


def test_the_admin_sends_signed_out_visitors_to_the_staffs_sign_in_page(client, db):
    from tests.helpers import page_of

    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response["Location"] == reverse("accounts:staff_login") + "?next=%2Fadmin%2F"
    page = page_of(client.get(response["Location"]))
    assert "<h1>Connexion du personnel</h1>" in page
    assert "ouvre l'espace du personnel de l'ENT" in page and "double authentification" in page
    # Not the pupils' page: no letter, no example identifier, no FranceConnect.
    for pupils_words in [
        "celui du courrier",
        "t.counen1",
        "FranceConnect",
        "Je n'ai pas de compte",
    ]:
        assert pupils_words not in page


def test_staff_sign_in_through_their_page_then_the_code_and_reach_the_admin(client, staff_user):
    from tests.helpers import page_of

    staff_user.set_password(GOOD_PASSWORD)
    staff_user.save()
    url = reverse("accounts:staff_login") + "?next=%2Fadmin%2F"
    wrong = page_of(client.post(url, {"login": staff_user.username, "password": "Faux#1234"}))
    assert "<h1>Connexion du personnel</h1>" in wrong and 'role="alert"' in wrong
    response = client.post(
        url, {"login": staff_user.username, "password": GOOD_PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    right = client.post(reverse("mfa_authenticate"), {"code": current_code(staff_user.username)})
    assert right["Location"] == "/admin/"


def test_staff_without_a_totp_key_must_set_one_up_first(client, db):
    staff = UserFactory(username="nouveau.staff", is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("admin:accounts_user_changelist"))["Location"] == reverse(
        "mfa_activate_totp"
    )


def test_staff_sign_in_asks_for_the_totp_code(client, staff_user):
    staff_user.set_password(GOOD_PASSWORD)
    staff_user.save()
    response = sign_in(client, staff_user.username, GOOD_PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    right = client.post(reverse("mfa_authenticate"), {"code": current_code(staff_user.username)})
    assert right.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_pupils_are_not_asked_for_a_code(client, pupil):
    assert sign_in(client, pupil.username, GOOD_PASSWORD)["Location"] == reverse("portal:services")


def test_wrong_codes_count_in_the_lockout_and_are_audited(client, staff_user):
    """100 codes a minute per address were evaluated: now 5 per account, then the lock."""
    from accounts import lockout
    from audit.models import Action, AuditEvent
    from tests.helpers import page_of

    staff_user.set_password(GOOD_PASSWORD)
    staff_user.save()
    sign_in(client, staff_user.username, GOOD_PASSWORD)
    for _ in range(5):
        page = page_of(client.post(reverse("mfa_authenticate"), {"code": "000000"}))
    assert lockout.is_locked(staff_user.username)
    assert "bloquée pendant 15 minutes" in page
    failed = AuditEvent.objects.filter(action=Action.SECOND_FACTOR_FAILED, subject=staff_user)
    assert failed.count() == 5
    assert AuditEvent.objects.filter(action=Action.LOCKED_OUT, subject=staff_user).exists()
    right = client.post(reverse("mfa_authenticate"), {"code": current_code(staff_user.username)})
    assert "_auth_user_id" not in client.session and right.status_code == 200


def test_pupils_have_no_page_to_set_up_a_second_factor(client, pupil):
    client.force_login(pupil)
    for name in ("mfa_index", "mfa_activate_totp", "mfa_view_recovery_codes"):
        assert client.get(reverse(name)).status_code == 404, name


def test_a_pupils_sign_in_does_not_look_for_a_second_factor(client, pupil):
    """allauth's stage asked the database at every sign-in whether the account had a TOTP key;
    only staff can have one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("account_login"))
    with CaptureQueriesContext(connection) as context:
        response = client.post(
            reverse("account_login"), {"login": pupil.username, "password": GOOD_PASSWORD}
        )
    assert response["Location"] == reverse("portal:services")
    tables = [
        q["sql"].split('"')[1]
        for q in context.captured_queries
        if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]
    # The user, last_login, the audit row, « Mes sessions » (the session itself is in Redis in
    # production; here it may be in the database).
    assert tables == [
        "accounts_user",
        "accounts_user",
        "audit_auditevent",
        "usersessions_usersession",
    ]


def test_the_code_page_says_where_the_code_comes_from_and_cancel_is_secondary(client, staff_user):
    from tests.helpers import page_of

    staff_user.set_password(GOOD_PASSWORD)
    staff_user.save()
    sign_in(client, staff_user.username, GOOD_PASSWORD)
    page = page_of(client.get(reverse("mfa_authenticate")))
    assert "l'application d'authentification où vous avez ajouté la clé" in page
    assert "FreeOTP, Aegis, Google Authenticator" in page
    assert "python manage.py totp_code" in page
    assert '<button class="btn btn-primary"' in page  # « Valider le code »
    assert '<button class="btn btn-link"\nform="logout-from-stage"' in page  # « Annuler »


def test_the_key_set_up_page_says_which_app_and_shows_the_key_as_text(client, db):
    from tests.helpers import page_of

    staff = UserFactory(
        username="nouveau.staff", is_staff=True, is_superuser=True, raw_password=GOOD_PASSWORD
    )
    sign_in(client, staff.username, GOOD_PASSWORD)
    response = client.get(reverse("mfa_activate_totp"))
    if response.status_code == 302:  # allauth asks for the password again first
        client.post(response["Location"], {"password": GOOD_PASSWORD})
        response = client.get(reverse("mfa_activate_totp"))
    page = page_of(response)
    assert "FreeOTP, Aegis, Google Authenticator" in page
    assert '<code class="totp-secret"' in page and 'id="authenticator_secret"' not in page
