from django.contrib.auth import SESSION_KEY, get_user
from django.urls import reverse

from accounts.backends import PortalBackend
from tests.factories import UserFactory
from tests.helpers import field_values


def test_the_sessions_user_is_read_as_the_orm_reads_it(db, django_assert_num_queries):
    user = UserFactory(pupil=True, first_name="Théo", birth_date="2012-03-14")
    user.refresh_from_db()
    with django_assert_num_queries(1):
        read = PortalBackend().get_user(user.pk)
    assert field_values(read) == field_values(user)
    assert not read._state.adding


def test_an_unknown_or_departed_user_is_nobody(db):
    user = UserFactory(is_active=False)
    assert PortalBackend().get_user(user.pk) is None
    assert PortalBackend().get_user(user.pk + 1000) is None


def test_a_signed_in_session_finds_its_user_and_a_changed_password_ends_it(client, db, rf):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("portal:services")).status_code == 200
    request = rf.get("/")
    request.session = client.session
    assert get_user(request).pk == user.pk == int(client.session[SESSION_KEY])
    user.set_password("Nouveau#Motdepasse9")
    user.save()
    assert get_user(request).is_anonymous  # the session's hash no longer matches
