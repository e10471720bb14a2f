from django.test import RequestFactory

from families.actions import do_register_parent
from families.flows import registration as flow
from families.registration import Registration
from tests.factories import ParentFactory, UserFactory
from tests.helpers import GOOD_PASSWORD


def _verified_registration(parent, children):
    request = RequestFactory().post("/educonnect/inscription/mot-de-passe/")
    request.session = {}
    registration = Registration.start(request, mobile="+33639980001", parent_id=parent.pk)
    registration.verified = True
    registration.confirmed_children = [child.pk for child in children]
    registration.save(request)
    return request, flow.Verified(registration, parent)


def test_a_registration_finished_in_another_browser_meanwhile_starts_again(school_class):
    """The second of two browsers ending one registration is told that the account exists;
    its registration is forgotten and no identifier waits for « Votre compte est créé »."""
    child = UserFactory(school_class=school_class)
    parent = ParentFactory(mobile="+33639980001", children=[child])
    request, verified = _verified_registration(parent, [child])
    do_register_parent(parent, password=GOOD_PASSWORD, email="s@example.org", children=[child.pk])

    outcome = flow.finish(request, verified, password=GOOD_PASSWORD, email="s@example.org")

    assert outcome.next == flow.START and "déjà créé" in outcome.message
    assert Registration.load(request) is None
    assert flow.identifier_once(request) is None
