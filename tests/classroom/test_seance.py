"""The séance of one class in the teacher's space: bars and cards, its live part with one
short polite summary, the projector, the end-of-lesson report, help in one click."""

import csv
import html
import io
import re

from django.urls import reverse

from accounts import lockout
from audit.models import Action, AuditEvent
from tests.factories import UserFactory
from tests.helpers import page_of, sign_in


def seance_url(school_class):
    return reverse("classroom:seance", args=[school_class.pk])


def test_the_page_shows_each_pupil_and_where_the_class_is(client_teacher, practice):
    school_class, letters = practice
    page = page_of(client_teacher.get(reverse("classroom:seance", args=[school_class.pk])))
    for item in letters:
        assert item.user.first_name in page and item.identifier in page
        assert item.user.birth_date.strftime("%d/%m/%Y") in page  # read on the letter
    assert "Pas encore de connexion" in page
    assert page.count('role="status"') == 1  # one polite live region, the summary only
    assert "0 sur 3 élèves dans PRONOTE, 0 à aider." in page
    assert 'data-summary="#classroom-summary"' in page
    assert "Rafraîchir" in page and "http-equiv" not in page


def test_the_live_part_is_the_summary_and_the_cards(client_teacher, practice):
    school_class, letters = practice
    page = page_of(client_teacher.get(reverse("classroom:live", args=[school_class.pk])))
    assert 'id="classroom-summary"' in page and 'id="classroom-live"' in page
    assert "<html" not in page


def test_the_projector_shows_first_names_and_bars_only(client_teacher, practice):
    school_class, letters = practice
    page = page_of(client_teacher.get(reverse("classroom:projection", args=[school_class.pk])))
    shown = [html.unescape(n) for n in re.findall(r'class="projection__name">([^<]+)<', page)]
    assert sorted(shown) == sorted(item.user.first_name for item in letters)
    for item in letters:
        assert item.identifier not in page
        # A last name may also be someone's first name (« Bo »): only the names shown count.
        assert item.user.last_name not in shown or item.user.last_name in {
            other.user.first_name for other in letters
        }
    assert "Chaque barre" in page and "http://testserver/" in page


def test_the_report_is_a_csv_of_the_lesson(client_teacher, practice):
    school_class, _letters = practice
    response = client_teacher.get(reverse("classroom:report", args=[school_class.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][1] == "3"


def test_help_unlocks_a_pupil_in_one_click_and_is_audited(client, teacher, practice):
    school_class, letters = practice
    pupil = letters[0]
    for _ in range(5):
        sign_in(client, pupil.identifier, "Mauvais#1")
    assert lockout.is_locked(pupil.identifier)
    client.force_login(teacher)
    page = page_of(client.get(reverse("classroom:seance", args=[school_class.pk])))
    assert f'id="debloquer-{pupil.user.pk}"' in page
    url = reverse("classroom:help", args=[school_class.pk, pupil.user.pk])
    response = client.post(url, {"aide": "debloquer"}, follow=True)
    assert f"{pupil.user.get_full_name()} : compte débloqué." in page_of(response)
    assert not lockout.is_locked(pupil.identifier)
    assert AuditEvent.objects.filter(action=Action.UNLOCKED, actor=teacher).count() == 1


def test_help_gives_an_invented_pupil_the_same_letter_again(client_teacher, practice, pdf_of):
    from tests.helpers import letters_in

    school_class, letters = practice
    pupil = letters[0]
    url = reverse("classroom:help", args=[school_class.pk, pupil.user.pk])
    printed = letters_in(
        pdf_of(client_teacher, url, {"aide": "courrier"}, form_url=seance_url(school_class))
    )
    assert printed == {pupil.identifier: pupil.password}


def test_help_gives_a_real_pupil_a_new_letter(client_teacher, school_class, pdf_of):
    from tests.factories import PROVISIONAL_PASSWORD
    from tests.helpers import letters_in

    pupil = UserFactory(provisional=True, school_class=school_class)
    url = reverse("classroom:help", args=[school_class.pk, pupil.pk])
    printed = letters_in(
        pdf_of(client_teacher, url, {"aide": "courrier"}, form_url=seance_url(school_class))
    )
    assert set(printed) == {pupil.username}
    assert printed[pupil.username] != PROVISIONAL_PASSWORD
    pupil.refresh_from_db()
    assert pupil.check_password(printed[pupil.username])


def test_help_is_a_post_with_its_token(client_teacher, practice):
    school_class, letters = practice
    url = reverse("classroom:help", args=[school_class.pk, letters[0].user.pk])
    assert client_teacher.get(url).status_code == 405


def test_the_live_part_costs_the_same_for_5_and_for_30_pupils(client_teacher, teacher):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from classroom.actions import do_create_practice_class

    establishment = teacher.enrolments.get().establishment
    counts = []
    for size in (5, 30):
        school_class, _letters = do_create_practice_class(establishment, size, teacher=teacher)
        url = reverse("classroom:live", args=[school_class.pk])
        client_teacher.get(url)  # the session and the charter read once
        with CaptureQueriesContext(connection) as queries:
            assert client_teacher.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_automatic_refresh_has_a_pause_toggle(client_teacher, practice):
    school_class, letters = practice
    page = page_of(client_teacher.get(seance_url(school_class)))
    # Shown by static/js/seance.js (without it, the page never refreshes by itself).
    assert (
        '<button type="button" id="seance-pause" class="seance-pause__button" '
        'aria-pressed="false" hidden>Mettre en pause la mise à jour automatique</button>'
    ) in page
    assert 'id="seance-refresh" class="seance-refresh"' in page  # underlined (seance.css)
