import re
from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from audit.models import Action, AuditEvent
from families import sms
from families.models import ParentLink
from tests.factories import EstablishmentFactory, ParentFactory, SchoolClassFactory, UserFactory
from tests.helpers import GOOD_PASSWORD, page_of, sign_in

MOBILE = "06 39 98 00 01"


_on_commit = []


@pytest.fixture(autouse=True)
def _empty_outbox(django_capture_on_commit_callbacks):
    """SMS and e-mails leave once the request's transaction commits: run those callbacks."""
    sms.outbox.clear()
    _on_commit[:] = [django_capture_on_commit_callbacks]


def committed(call, *args, **kwargs):
    with _on_commit[0](execute=True):
        return call(*args, **kwargs)


@pytest.fixture
def family(school_class):
    """Sandrine Counen, responsable of Théo (Bruzet) and Lina (another school), no account yet."""
    theo = UserFactory(
        school_class=school_class,
        first_name="Théo",
        last_name="Counen",
        birth_date=date(2012, 3, 14),
    )
    lina = UserFactory(
        school_class=SchoolClassFactory(establishment=EstablishmentFactory(name="Cité scolaire")),
        first_name="Lina",
        last_name="Counen",
        birth_date=date(2010, 10, 3),
    )
    parent = ParentFactory(
        first_name="Sandrine",
        last_name="Counen",
        username="s.counen1",
        mobile="+33639980001",
        children=[theo, lina],
    )
    return parent, theo, lina


def start(client, last_name="Counen", first_name="Sandrine", mobile=MOBILE):
    return committed(
        client.post,
        reverse("families:register_start"),
        {"last_name": last_name, "first_name": first_name, "mobile": mobile},
    )


def code_sent():
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].body).group(1)


def send_code(client, code):
    return client.post(reverse("families:register_code"), {"code": code})


def confirm_child(client, birth):
    day, month, year = birth.split("/")
    return client.post(
        reverse("families:register_children"),
        {"birth_day": day, "birth_month": month, "birth_year": year},
    )


def choose_password(client, email="sandrine@example.org"):
    return committed(
        client.post,
        reverse("families:register_password"),
        {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD, "email": email},
    )


def test_a_parent_registers_by_sms_and_confirms_each_child(client, family):
    """Name and number → code by SMS → Théo then Lina by birth date → password and e-mail →
    « Votre compte est créé » with the identifier; then the parent signs in."""
    parent, theo, lina = family
    response = start(client)
    assert response["Location"] == reverse("families:register_code")
    assert [m.to for m in sms.outbox] == ["+33639980001"]
    assert "06 ** ** ** 01" in page_of(client.get(response["Location"]))

    response = send_code(client, code_sent())
    assert response["Location"] == reverse("families:register_children")
    assert "Enfant 1 sur 2" in page_of(client.get(response["Location"]))
    assert confirm_child(client, "03/10/2010")["Location"] == reverse("families:register_children")
    assert "Enfant 2 sur 2" in page_of(client.get(reverse("families:register_children")))
    response = confirm_child(client, "14/03/2012")
    assert response["Location"] == reverse("families:register_password")

    response = choose_password(client)
    assert response["Location"] == reverse("families:register_done")
    page = page_of(client.get(response["Location"]))
    assert "Votre compte est créé" in page and "s.counen1" in page

    parent.refresh_from_db()
    assert parent.check_password(GOOD_PASSWORD) and parent.activated_at is not None
    assert parent.email == "sandrine@example.org"
    assert len(mail.outbox) == 1 and "sandrine@example.org" in mail.outbox[0].to
    assert ParentLink.objects.filter(parent=parent, confirmed_at__isnull=False).count() == 2
    assert sign_in(client, "s.counen1", GOOD_PASSWORD).status_code == 302
    actions = list(AuditEvent.objects.filter(subject=parent).values_list("action", flat=True))
    for action in [
        Action.SMS_REGISTRATION_STARTED,
        Action.SMS_SENT,
        Action.SMS_CODE_CONFIRMED,
        Action.SMS_CHILD_CONFIRMED,
        Action.PARENT_REGISTERED,
    ]:
        assert action in actions


def test_the_parents_verification_mail_leaves_only_once_the_registration_is_saved(client, family):
    """The pupils' action (``accounts.actions.send_verification``): sent on commit, not before."""
    start(client)
    send_code(client, code_sent())
    confirm_child(client, "03/10/2010")
    confirm_child(client, "14/03/2012")
    with _on_commit[0](execute=False) as callbacks:
        client.post(
            reverse("families:register_password"),
            {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD, "email": "s@example.org"},
        )
    assert len(callbacks) == 1 and mail.outbox == []
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["s@example.org"]]


def test_the_password_pair_is_the_one_of_the_pupils_activation(client, family, issued):
    """One include for both pages: the same labels, live rules (« identique » included),
    « Afficher le mot de passe » and errors under their field."""
    start(client)
    send_code(client, code_sent())
    confirm_child(client, "03/10/2010")
    confirm_child(client, "14/03/2012")
    parent_page = client.post(reverse("families:register_password"), {"password1": "abc"})
    pupil = Client()
    sign_in(pupil, issued.identifier, issued.password)
    pupil_page = pupil.post(reverse("accounts:activate"), {"password1": "abc"})
    for response in (parent_page, pupil_page):
        assert "accounts/_password_pair.html" in [t.name for t in response.templates]
        html = response.content.decode()
        assert 'data-rule="special">au moins 1 caractère spécial parmi' in html
        assert '<ul class="field-errors" id="password1-errors">' in html
        assert '<ul class="field-errors" id="password2-errors">' in html
        assert "identique au nouveau mot de passe" in html
        assert "Afficher le nouveau mot de passe" in html and "js/show-password" in html
        assert "Afficher la confirmation du mot de passe" in html


def test_an_unknown_number_gets_the_same_answer_and_no_sms(client, family):
    """No enumeration: the same redirect and page, whether the number is known or not."""
    known = page_of(client.get(start(client)["Location"]))
    client.cookies.clear()
    response = start(client, mobile="06 39 98 00 77")
    assert response["Location"] == reverse("families:register_code")
    unknown = page_of(client.get(response["Location"]))
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    # The number typed is shown back (masked) and carried to the demo phone: nothing else.
    known = known.replace("06 ** ** ** 01", "X").replace("%2B33639980001", "N")
    unknown = unknown.replace("06 ** ** ** 77", "X").replace("%2B33639980077", "N")
    assert csrf.sub("", known) == csrf.sub("", unknown)
    assert len(sms.outbox) == 1  # only the known number got one


def test_wrong_names_with_a_known_number_send_nothing(client, family):
    start(client, first_name="Marc")
    assert sms.outbox == []


def test_an_unknown_number_never_gets_past_the_code(client, family):
    start(client, mobile="06 39 98 00 77")
    for _attempt in range(3):
        send_code(client, "123456")
    assert client.get(reverse("families:register_children"))["Location"] == reverse(
        "families:register_start"
    )


def test_three_wrong_codes_end_the_registration(client, family):
    start(client)
    right = code_sent()
    wrong = "000000" if right != "000000" else "111111"
    assert "Il vous reste 2 essais" in page_of(send_code(client, wrong))
    assert "Il vous reste 1 essai." in page_of(send_code(client, wrong))
    response = send_code(client, wrong)
    assert response["Location"] == reverse("families:register_start")
    # The right code no longer works: the registration is gone.
    assert send_code(client, right)["Location"] == reverse("families:register_start")
    assert AuditEvent.objects.filter(action=Action.SMS_CODE_FAILED).count() == 3


def test_an_expired_code_is_refused(client, family, settings):
    settings.SMS_CODE_VALIDITY_SECONDS = 0
    start(client)
    page = page_of(send_code(client, code_sent()))
    assert "Ce code a expiré" in page


def test_a_code_valid_one_minute_is_said_in_the_singular(client, family, settings):
    """The page and the SMS read SMS_CODE_VALIDITY_SECONDS, with French plurals."""
    settings.SMS_CODE_VALIDITY_SECONDS = 60
    page = page_of(client.get(start(client)["Location"]))
    assert "Il est valable 1 minute." in page
    assert "Il est valable 1 minute." in sms.outbox[-1].body


def test_a_new_code_replaces_the_old_and_resends_are_limited(client, family, settings):
    settings.SMS_CODE_MAX_RESENDS = 1
    start(client)
    first = code_sent()
    committed(client.post, reverse("families:register_code"), {"resend": "1"})
    second = code_sent()
    assert len(sms.outbox) == 2
    page = page_of(client.get(reverse("families:register_code")))
    assert "Recevoir un nouveau code" not in page
    committed(client.post, reverse("families:register_code"), {"resend": "1"})
    assert len(sms.outbox) == 2
    if first != second:
        assert "n'est pas le bon" in page_of(send_code(client, first))
    assert send_code(client, second)["Location"] == reverse("families:register_children")


def test_sms_to_one_number_are_limited_per_day_known_or_not(client, family, settings):
    """The limit counts requests for the number, the same for a known or an unknown one."""
    settings.SMS_PER_NUMBER_PER_DAY = 2
    for _attempt in range(2):
        start(client)
    page = page_of(start(client))
    assert "Trop de demandes de code" in page
    assert len(sms.outbox) == 2
    for _attempt in range(2):
        start(client, mobile="06 39 98 00 77")
    assert "Trop de demandes de code" in page_of(start(client, mobile="06 39 98 00 77"))
    assert AuditEvent.objects.filter(action=Action.SMS_REGISTRATION_LIMITED).count() == 2


def test_tries_under_other_names_do_not_spend_the_real_parents_sms(client, family, settings):
    """Five starts with the number and any names blocked the parent for the day: the counter
    is the number's with the names typed (folded: accents and case do not count)."""
    settings.SMS_PER_NUMBER_PER_DAY = 5
    for first_name in ["Marc", "Léa", "Paul", "Anne", "Marc"]:
        start(client, first_name=first_name)
    assert sms.outbox == []
    assert "Trop de demandes" not in page_of(start(client, first_name="SANDRINE"))
    assert [m.to for m in sms.outbox] == ["+33639980001"]


def test_a_busy_address_is_slowed_down_not_refused(client, family, settings, monkeypatch):
    """A parents' evening is one school address: over SMS_REGISTRATIONS_PER_ADDRESS in a
    window, the page says how long to wait and that the letter still works; the next window
    lets the parent in."""
    from types import SimpleNamespace

    from accounts import throttle

    settings.SMS_REGISTRATIONS_PER_ADDRESS = 2
    settings.SMS_ADDRESS_WINDOW_SECONDS = 300
    clock = SimpleNamespace(now=1_800_000_000.0)  # the start of a window
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: clock.now))
    start(client, mobile="06 39 98 00 71")
    start(client, mobile="06 39 98 00 72")
    clock.now += 60
    page = page_of(start(client))
    assert "Patientez 4 minutes" in page and "Réessayez demain" not in page
    assert "courrier avec un identifiant et un mot de passe provisoire" in page
    assert "fonctionne toujours" in page and 'value="Counen"' in page
    assert sms.outbox == []
    clock.now += 240  # the next window
    assert start(client)["Location"] == reverse("families:register_code")
    assert [m.to for m in sms.outbox] == ["+33639980001"]


def test_a_wrong_birth_date_is_refused_and_three_end_the_registration(client, family):
    parent, _theo, _lina = family
    start(client)
    send_code(client, code_sent())
    page = page_of(confirm_child(client, "01/01/2010"))
    assert "ne correspond à aucun de vos enfants" in page
    confirm_child(client, "02/01/2010")
    response = confirm_child(client, "03/01/2010")
    assert response["Location"] == reverse("families:register_start")
    parent.refresh_from_db()
    assert parent.activated_at is None
    assert AuditEvent.objects.filter(action=Action.SMS_CHILD_REFUSED).count() == 3


def test_the_password_page_needs_every_child_confirmed(client, family):
    start(client)
    send_code(client, code_sent())
    confirm_child(client, "03/10/2010")
    assert client.get(reverse("families:register_password"))["Location"] == reverse(
        "families:register_children"
    )


def test_the_password_follows_the_pupils_rule_and_the_email_is_required(client, family):
    start(client)
    send_code(client, code_sent())
    confirm_child(client, "03/10/2010")
    confirm_child(client, "14/03/2012")
    page = page_of(
        client.post(
            reverse("families:register_password"),
            {"password1": "motdepasse", "password2": "motdepasse", "email": ""},
        )
    )
    assert "Saisissez votre adresse mail." in page
    assert "majuscule" in page
    assert User.objects.get(username="s.counen1").activated_at is None


def test_a_parent_with_an_account_is_told_the_identifier_by_sms(client, family):
    """Registering again: the SMS says the account exists; the screens say nothing more."""
    parent, _theo, _lina = family
    parent.activated_at = parent.date_joined
    parent.save(update_fields=["activated_at"])
    response = start(client)
    assert response["Location"] == reverse("families:register_code")
    assert "s.counen1" in sms.outbox[-1].body and not re.search(r"\d{6}", sms.outbox[-1].body)


def test_the_steps_cannot_be_skipped(client, family):
    for name in ["register_code", "register_children", "register_password", "register_done"]:
        assert client.get(reverse(f"families:{name}"))["Location"] == reverse(
            "families:register_start"
        )


def test_the_start_page_explains_each_error_under_its_field(client, db):
    page = page_of(start(client, last_name="", first_name="", mobile="01 23"))
    assert "Saisissez votre nom." in page and "Saisissez votre prénom." in page
    assert "Saisissez un numéro de téléphone portable" in page


def test_registering_by_sms_makes_a_letter_printed_meanwhile_stop_working(client, family):
    from django.utils import timezone

    parent, _theo, _lina = family
    User.objects.filter(pk=parent.pk).update(
        provisional_issued_at=timezone.now(),
        provisional_expires_at=timezone.now() + timezone.timedelta(days=90),
    )
    start(client)
    send_code(client, code_sent())
    confirm_child(client, "03/10/2010")
    confirm_child(client, "14/03/2012")
    choose_password(client)
    parent.refresh_from_db()
    assert not parent.is_provisional and parent.activated_at is not None


def test_a_registration_left_idle_ends_like_an_activation(client, family, settings):
    """A classroom computer: the next person does not find someone's registration open."""
    import time

    start(client)
    send_code(client, code_sent())
    settings.ACTIVATION_IDLE_SECONDS = 0
    time.sleep(0.01)
    assert client.get(reverse("families:register_children"))["Location"] == reverse(
        "families:register_start"
    )


def test_votre_compte_est_cree_is_shown_once(client, family):
    start(client)
    send_code(client, code_sent())
    confirm_child(client, "03/10/2010")
    confirm_child(client, "14/03/2012")
    choose_password(client)
    assert "s.counen1" in page_of(client.get(reverse("families:register_done")))
    assert client.get(reverse("families:register_done"))["Location"] == reverse(
        "families:register_start"
    )


def test_the_children_are_named_only_once_their_birth_date_is_confirmed(client, family):
    """Whoever holds the parent's SMS code saw the children's names and schools before any
    birth date was checked."""
    start(client)
    send_code(client, code_sent())
    page = page_of(client.get(reverse("families:register_children")))
    for hidden in ["Lina", "Théo", "Counen", "Cité scolaire", "Bruzet"]:
        assert hidden not in page, hidden
    confirm_child(client, "14/03/2012")  # any order: Théo first
    page = page_of(client.get(reverse("families:register_children")))
    assert "Théo Counen" in page and "Enfant 2 sur 2" in page
    assert "Lina" not in page and "Cité scolaire" not in page


def test_a_right_birth_date_does_not_count_against_the_limit(client, family, settings):
    settings.SMS_CODE_MAX_TRIES = 2
    start(client)
    send_code(client, code_sent())
    confirm_child(client, "01/01/2010")  # one wrong
    confirm_child(client, "14/03/2012")  # right: given back
    response = confirm_child(client, "03/10/2010")
    assert response["Location"] == reverse("families:register_password")


def test_the_password_is_the_last_step_and_the_sign_in_then_speaks_to_a_parent(client, family):
    """« Étape 4 sur 4 — Dernière étape » (never « Étape suivante : Votre compte est créé »);
    the demo phone opens on the number typed; the sign-in after « Votre compte est créé »
    gives a parent's hints, not the pupil's letter."""
    start(client)
    code_page = client.get(reverse("families:register_code")).content.decode()
    assert f"{reverse('families:demo_phone')}?numero=%2B33639980001" in code_page
    send_code(client, code_sent())
    confirm_child(client, "03/10/2010")
    confirm_child(client, "14/03/2012")
    page = page_of(client.get(reverse("families:register_password")))
    assert "Étape 4 sur 4" in page and "Dernière étape" in page
    assert "Étape suivante" not in page
    done = page_of(client.get(choose_password(client)["Location"]))
    assert "Étape" not in done
    login_url = re.search(r'href="([^"]*profil=parent)"', done).group(1)
    login = page_of(client.get(login_url))
    assert "inscription par SMS" in login and "celui que vous avez choisi" in login
    assert "à la première connexion, celui du courrier" not in login
    assert 'action="/educonnect/login/?profil=parent"' in login
