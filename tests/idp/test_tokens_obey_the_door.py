"""The door holds at every use of a token, not only at the authorization: a refresh and userinfo
are refused, and the person's tokens for the service revoked, as soon as the door would refuse
(a new charter, a re-issued letter, a class reset, the service deactivated or withdrawn from the
school). Each case with a real refresh token, obtained through the whole code flow."""

import pytest
from allauth.idp.oidc.models import Token

from audit.models import Action, AuditEvent
from tests.connected_services import TOKEN_PATH, query_of, tokens_of
from tests.factories import EstablishmentFactory

USERINFO = "/identity/o/api/userinfo"


def _refresh(client, service, refresh_token):
    return client.post(
        TOKEN_PATH,
        {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": service.oidc_client_id,
            "client_secret": service.secret,
        },
    )


def _userinfo(client, access_token):
    return client.get(USERINFO, HTTP_AUTHORIZATION=f"Bearer {access_token}")


def _new_charter(pupil, service):
    from charter.actions import do_publish_charter
    from charter.models import Charter

    do_publish_charter(Charter.objects.create(version=2, title="Charte 2", body="Nouveau texte."))


def _reissued(pupil, service):
    from accounts.actions import do_issue_credentials

    do_issue_credentials(pupil)


def _class_reset(pupil, service):
    from staff.actions import reset_class_with_letters

    school_class = pupil.enrolments.get().school_class
    reset_class_with_letters(school_class, letters=lambda prepared: None)


def _deactivated(pupil, service):
    from idp.actions import do_save_service

    service.is_active = False
    do_save_service(service)


def _withdrawn_from_the_school(pupil, service):
    service.establishments.set([EstablishmentFactory(name="Cité scolaire Henri IV")])


CASES = {
    "a new charter": _new_charter,
    "a re-issued letter": _reissued,
    "a class reset": _class_reset,
    "the service deactivated": _deactivated,
    "the service withdrawn from the school": _withdrawn_from_the_school,
}


@pytest.mark.parametrize("case", CASES)
def test_a_refresh_is_refused_and_the_tokens_revoked_when_the_door_would_refuse(
    accepted, pupil, oidc_service, case
):
    """No fresh ID token after the change: `invalid_grant`, and nothing left to use."""
    tokens = tokens_of(accepted, oidc_service)
    assert _refresh(accepted, oidc_service, tokens["refresh_token"]).status_code == 200
    tokens = tokens_of(accepted, oidc_service)
    CASES[case](pupil, oidc_service)
    refreshed = _refresh(accepted, oidc_service, tokens["refresh_token"])
    assert refreshed.status_code == 400, refreshed.content
    assert refreshed.json()["error"] == "invalid_grant"
    assert "id_token" not in refreshed.json()
    assert not Token.objects.filter(user=pupil).exists()
    assert _userinfo(accepted, tokens["access_token"]).status_code == 401
    refusal = AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED, subject=pupil).last()
    assert refusal.details["kind"] == "idp_service_refused"
    assert refusal.details["tokens_revoked"] is True


@pytest.mark.parametrize("case", CASES)
def test_userinfo_refuses_the_old_access_token_when_the_door_would_refuse(
    accepted, pupil, oidc_service, case
):
    """401 `invalid_token` with the old access token; the refresh token dies with it."""
    tokens = tokens_of(accepted, oidc_service)
    assert _userinfo(accepted, tokens["access_token"]).status_code == 200
    CASES[case](pupil, oidc_service)
    info = _userinfo(accepted, tokens["access_token"])
    assert info.status_code == 401, info.content
    assert info.json()["error"] == "invalid_token"
    assert 'error="invalid_token"' in info["WWW-Authenticate"]
    assert not Token.objects.filter(user=pupil).exists()
    assert _refresh(accepted, oidc_service, tokens["refresh_token"]).status_code == 400


def test_a_refresh_still_works_while_the_door_would_let_the_person_in(
    accepted, pupil, oidc_service
):
    """Nothing changed: the refresh gives a new ID token, as before."""
    tokens = tokens_of(accepted, oidc_service)
    refreshed = _refresh(accepted, oidc_service, tokens["refresh_token"])
    assert refreshed.status_code == 200
    assert "id_token" in refreshed.json()
    assert _userinfo(accepted, refreshed.json()["access_token"]).status_code == 200


def _departed(pupil, service):
    from accounts.actions import do_mark_departed

    do_mark_departed(pupil)


ENDINGS = {
    "a re-issued letter": _reissued,
    "a class reset": _class_reset,
    "a departure": _departed,
}


@pytest.mark.parametrize("case", ENDINGS)
def test_the_services_are_signed_out_and_every_token_revoked(
    accepted, pupil, oidc_service, cas_service, case, django_capture_on_commit_callbacks
):
    """A new letter, a class reset, a departure: once committed, each service session of the
    person ends through single sign-out (OIDC back-channel, CAS), and every token dies."""
    from unittest import mock
    from urllib.parse import urlencode

    from idp.models import LogoutNotice, ServiceSession
    from tests.connected_services import CAS_SERVICE, run_single_sign_out

    tokens_of(accepted, oidc_service)
    login = accepted.get("/cas/login?" + urlencode({"service": CAS_SERVICE}))
    ticket = query_of(login["Location"])["ticket"]
    accepted.get("/cas/p3/serviceValidate?" + urlencode({"service": CAS_SERVICE, "ticket": ticket}))
    assert ServiceSession.objects.filter(user=pupil).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        ENDINGS[case](pupil, oidc_service)
    assert not Token.objects.filter(user=pupil).exists()
    assert not ServiceSession.objects.filter(user=pupil).exists()
    assert LogoutNotice.objects.count() == 2
    with mock.patch("idp.logout._post") as post:
        assert run_single_sign_out() == 1  # one job for the whole sign-out
    told = {call.args[0] for call in post.call_args_list}
    assert told == {oidc_service.backchannel_logout_uri, CAS_SERVICE}
    assert not LogoutNotice.objects.exists()


def test_a_refresh_that_drops_openid_is_refused(accepted, pupil, oidc_service):
    """Without `openid` a refresh would issue tokens without an ID token, so without the door:
    `invalid_scope`, and the refresh token still works with its scopes."""
    tokens = tokens_of(accepted, oidc_service)
    narrowed = accepted.post(
        TOKEN_PATH,
        {
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "scope": "profile",
            "client_id": oidc_service.oidc_client_id,
            "client_secret": oidc_service.secret,
        },
    )
    assert narrowed.status_code == 400
    assert narrowed.json()["error"] == "invalid_scope"
    assert _refresh(accepted, oidc_service, tokens["refresh_token"]).status_code == 200
