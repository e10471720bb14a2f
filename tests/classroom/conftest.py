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


@pytest.fixture
def practice(teacher, school_class):
    """« Entraînement 1 »: 3 invented pupils followed by ``teacher``; (class, letters)."""
    from classroom.actions import do_create_practice_class

    return do_create_practice_class(school_class.establishment, 3, teacher=teacher)


@pytest.fixture
def pdf_of():
    """The PDF of a long action (staff/jobs.py) as a teacher gets it: the form's page read for
    its one-time token (``form_url``, else ``url``), the form sent, the job run, the PDF
    downloaded."""
    from tests.helpers import downloaded, job_token_in

    def pdf(client, url, data, form_url=None):
        token = job_token_in(client.get(form_url or url))
        response = client.post(url, {**data, "job_token": token})
        return downloaded(client, response).content

    return pdf
