from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEvent
from tests.helpers import GOOD_PASSWORD, activate, page_of, sign_in


def test_sign_in_success_and_failure_are_recorded_with_the_address(client, pupil):
    sign_in(client, pupil.username, "Essai#1")
    client.defaults["REMOTE_ADDR"] = "192.0.2.9"
    sign_in(client, pupil.username, GOOD_PASSWORD)
    failed = AuditEvent.objects.get(action="sign_in_failed")
    succeeded = AuditEvent.objects.get(action="sign_in_succeeded")
    assert failed.subject == succeeded.subject == pupil
    assert succeeded.ip == "192.0.2.9"


def test_the_whole_journey_leaves_no_password_in_the_database(client, issued, staff_user):
    # A pupil who types the password in the identifier field, a wrong guess, the activation.
    sign_in(client, issued.password, issued.identifier)
    sign_in(client, issued.identifier, "Mauvais#Essai1")
    sign_in(client, issued.identifier, issued.password)
    activate(client)
    dump = StringIO()
    call_command("dumpdata", stdout=dump)
    for secret in (issued.password, GOOD_PASSWORD, "Mauvais#Essai1"):
        assert secret not in dump.getvalue()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"credentials_issued", "sign_in_failed", "account_activated"} <= actions


def test_staff_filter_the_audit_trail(client, staff_user, pupil):
    sign_in(client, pupil.username, "Essai#1")
    client.force_login(staff_user)
    url = reverse("admin:audit_auditevent_changelist")
    failed = client.get(url, {"action": "sign_in_failed"})
    assert {event.action for event in failed.context["cl"].result_list} == {"sign_in_failed"}
    assert pupil.username in failed.content.decode() and "Connexion échouée" in page_of(failed)
    nobody = client.get(url, {"q": "personne"})
    assert nobody.context["cl"].result_count == 0


def test_the_trail_s_old_address_leads_to_its_new_one(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/admin/accounts/auditevent/?action=sign_in_failed")
    assert response.status_code == 302
    assert response["Location"] == "/admin/audit/auditevent/?action=sign_in_failed"
    assert client.get(response["Location"]).status_code == 200


def test_a_secretary_reads_only_the_trail_of_her_own_school(client, db):
    from django.contrib.auth.models import Permission

    from audit.models import Action, record
    from tests.factories import EstablishmentFactory, SchoolClassFactory, UserFactory

    hers, other = EstablishmentFactory(), EstablishmentFactory()
    mine = UserFactory(activated=True, school_class=SchoolClassFactory(establishment=hers))
    theirs = UserFactory(activated=True, school_class=SchoolClassFactory(establishment=other))
    for pupil in (mine, theirs):
        record(Action.SIGN_IN_FAILED, subject=pupil)
    secretary = UserFactory(staff_of=hers)
    secretary.user_permissions.set(Permission.objects.filter(codename="view_auditevent"))
    client.force_login(secretary)
    response = client.get(reverse("admin:audit_auditevent_changelist"))
    assert [event.subject for event in response.context["cl"].result_list] == [mine]
