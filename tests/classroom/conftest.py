import pytest

from tests.factories import teacher_of


@pytest.fixture
def teacher(school_class):
    """« prof.dupont »: a teacher of « 4e B » at Collège Alfred Bruzet."""
    return teacher_of(school_class, username="prof.dupont")


@pytest.fixture
def client_teacher(client, teacher):
    client.force_login(teacher)
    return client
