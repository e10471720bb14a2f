"""One flow for every long action on letters (staff/jobs.py): the confirming form carries a
one-time token, its POST answers 303 to the job's page (outside the admin, seen only by who
asked), the same form sent twice re-issues nothing, then the PDF once: 1, 2 or 4 letters per
page, a file name without spaces, a practice pupil's invented birth date on the letter."""

import io
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from nacl.public import PrivateKey
from pypdf import PdfReader

from accounts import lockout
from accounts.models import User
from audit.models import Action, AuditEvent
from staff.models import LetterBatch
from staff.tasks import make_letters
from tests.factories import LetterBatchFactory, SchoolClassFactory, UserFactory
from tests.helpers import (
    a_class,
    confirm_import,
    csv_bytes,
    downloaded,
    job_pk,
    job_token_in,
    letters_in,
    page_of,
    preview_import,
    print_letters,
    run_worker,
)


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def pupils(school_class):
    return [
        UserFactory(school_class=school_class, first_name=name, last_name="Durand")
        for name in ["Anaïs", "Élise", "Tom"]
    ]


@pytest.fixture
def practice_class(establishment):
    return SchoolClassFactory(
        establishment=establishment, division="5e E", practice=True, letter_seed="graine-test"
    )


def reset_form(client, school_class):
    url = reverse("seance_reset", args=[school_class.pk])
    return url, {"confirm": "yes", "job_token": job_token_in(client.get(url))}


def reissued(user):
    return AuditEvent.objects.filter(action=Action.CREDENTIALS_REISSUED, subject=user).count()


def pdf_pages(response):
    return len(PdfReader(io.BytesIO(response.content)).pages)


def pdf_text(response):
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def test_the_reset_answers_with_a_303_to_a_page_that_says_what_is_prepared(
    staff, school_class, pupils
):
    url, form = reset_form(staff, school_class)
    response = staff.post(url, form)
    batch = LetterBatch.objects.get()
    assert response.status_code == 303
    assert response["Location"] == reverse("letter_job", args=[batch.pk])
    assert response["Location"].startswith("/courriers/")
    assert (batch.kind, batch.school_class, batch.total) == ("reset", school_class, 3)

    page = page_of(staff.get(response["Location"]))
    assert "<h1>Réinitialisation de la classe 4e B</h1>" in page
    assert "3 courriers en préparation" in page
    assert '<progress id="letter-job-progress" value="0" max="3">0 / 3</progress>' in page
    # (0 takes the singular in French once the catalogue has the string: either here)
    assert re.search(r'aria-live="polite">0 mots? de passe provisoires? émis sur 3<', page)
    assert "Actualiser" in page and "Télécharger le PDF" not in page
    assert "Simulation de formation." in page  # our own page (templates/base.html)
    assert f'href="{reverse("seance", args=[school_class.pk])}"' in page  # the way back

    run_worker()
    ready = page_of(staff.get(response["Location"]))
    assert "3 courriers prêts" in ready and "Télécharger le PDF" in ready
    assert "Actualiser" not in ready


def test_a_double_submitted_reset_re_issues_nothing(staff, school_class, pupils):
    url, form = reset_form(staff, school_class)
    first = staff.post(url, form)
    second = staff.post(url, form)  # a double click, before the worker ran
    assert second.status_code == 303 and second["Location"] == first["Location"]
    run_worker()
    hashes = {u.pk: u.password for u in User.objects.filter(pk__in=[p.pk for p in pupils])}
    third = staff.post(url, form)  # « Renvoyer le formulaire » after it ran
    assert third["Location"] == first["Location"]
    assert run_worker() == 0  # nothing queued again

    assert LetterBatch.objects.count() == 1
    assert AuditEvent.objects.filter(action=Action.CLASS_RESET).count() == 1
    for pupil in User.objects.filter(pk__in=[p.pk for p in pupils]):
        assert reissued(pupil) == 1
        assert pupil.password == hashes[pupil.pk]  # the first letters still work


def test_a_double_submitted_letter_printing_re_issues_nothing(staff, issued):
    url = reverse("admin:accounts_user_changelist")
    data = {"action": "print_letters", "_selected_action": [issued.user.pk]}
    form = {**data, "confirm": "yes", "job_token": job_token_in(staff.post(url, data))}
    first = staff.post(url, form)
    pdf = downloaded(staff, first)
    second = staff.post(url, form)
    assert second.status_code == 303 and second["Location"] == first["Location"]
    assert run_worker() == 0
    assert LetterBatch.objects.count() == 1 and reissued(issued.user) == 1
    password = letters_in(pdf.content)[issued.identifier]
    assert User.objects.get(pk=issued.user.pk).check_password(password)


def test_a_double_click_on_one_pupil_s_letter_gives_one_letter(staff, school_class, pupils):
    seance = staff.get(reverse("seance", args=[school_class.pk]))
    url = reverse("seance_help", args=[school_class.pk, pupils[0].pk])
    token = re.search(
        rf'action="{url}".*?name="job_token" value="([^"]+)"', seance.content.decode(), re.S
    ).group(1)
    form = {"aide": "courrier", "job_token": token}
    first, second = staff.post(url, form), staff.post(url, form)
    assert first.status_code == 303 and second["Location"] == first["Location"]
    assert len(letters_in(downloaded(staff, first).content)) == 1
    assert reissued(pupils[0]) == 1 and LetterBatch.objects.get().school_class == school_class


def test_a_double_submitted_import_imports_once(staff, establishment):
    preview = preview_import(staff, establishment, csv_bytes(a_class(3)))
    first, second = confirm_import(staff, preview), confirm_import(staff, preview)
    assert second["Location"] == first["Location"]
    assert len(letters_in(downloaded(staff, first).content)) == 3
    assert LetterBatch.objects.get().kind == "import"
    assert User.objects.filter(last_name__startswith="Élève").count() == 3


def test_the_second_answer_hands_the_key_to_a_browser_that_missed_the_first(
    staff, school_class, pupils
):
    """A double click cancels the first page: its cookie never arrives. The second POST finds
    the same job and gives the same key, so this browser can download."""
    url, form = reset_form(staff, school_class)
    first = staff.post(url, form)
    name = f"courriers_{job_pk(first)}"
    staff.cookies.pop(name)
    second = staff.post(url, form)
    assert second.cookies[name].value == first.cookies[name].value
    assert second.cookies[name]["path"] == "/courriers/"
    assert len(letters_in(downloaded(staff, second).content)) == 3


def test_reloading_the_job_page_issues_nothing(staff, school_class, pupils):
    url, form = reset_form(staff, school_class)
    job = staff.post(url, form)["Location"]
    run_worker()
    for _ in range(3):
        staff.get(job)
        staff.get(reverse("letter_job_status", args=[job_pk(staff.post(url, form))]))
    assert run_worker() == 0
    assert all(reissued(pupil) == 1 for pupil in pupils)


def test_a_form_without_its_token_does_nothing(staff, school_class, pupils):
    url = reverse("seance_reset", args=[school_class.pk])
    for token in [None, "invente", job_token_in(staff.get(url)) + "x"]:
        form = {"confirm": "yes"} | ({"job_token": token} if token else {})
        response = staff.post(url, form, follow=True)
        assert response.redirect_chain[0] == (reverse("seance", args=[school_class.pk]), 303)
        assert "Ce formulaire a expiré" in page_of(response)
    assert not LetterBatch.objects.exists() and run_worker() == 0
    assert not any(reissued(pupil) for pupil in pupils)


def test_a_token_made_for_someone_else_is_refused(staff, staff_user, school_class, pupils):
    url, form = reset_form(staff, school_class)
    other = Client()
    other.force_login(UserFactory(superuser=True, username="autre.secretariat"))
    other.post(url, form)
    assert not LetterBatch.objects.exists()


def test_only_the_person_who_asked_sees_the_job(staff, school_class, pupils):
    url, form = reset_form(staff, school_class)
    pk = job_pk(staff.post(url, form))
    run_worker()
    other = Client()
    other.force_login(UserFactory(superuser=True, username="autre.secretariat"))
    assert other.get(reverse("letter_job", args=[pk])).status_code == 404
    assert other.get(reverse("letter_job_status", args=[pk])).status_code == 404
    assert other.post(reverse("letter_job_download", args=[pk])).status_code == 404
    anonymous = Client().get(reverse("letter_job", args=[pk]))
    assert anonymous["Location"].startswith(reverse("account_login"))


def test_a_teacher_who_is_not_staff_follows_their_job_outside_the_admin(client, school_class):
    teacher = UserFactory(role="staff", username="prof.martin")
    batch = LetterBatchFactory(
        created_by=teacher, kind="letters", school_class=school_class, total=3
    )
    client.force_login(teacher)
    page = page_of(client.get(reverse("letter_job", args=[batch.pk])))
    assert "Courriers de la classe 4e B" in page and "3 courriers en préparation" in page


def test_the_status_says_how_far_the_worker_is(staff, staff_user, school_class):
    batch = LetterBatchFactory(created_by=staff_user, total=30, done=12, status="running")
    state = staff.get(reverse("letter_job_status", args=[batch.pk])).json()
    assert state == {
        "status": "running",
        "working": True,
        "done": 12,
        "total": 30,
        "text": "12 mots de passe provisoires émis sur 30",
    }


def test_the_way_back_is_shown_only_if_it_stays_on_this_site(staff, staff_user):
    for url, shown in [("/admin/seance/1/", True), ("https://ailleurs.example/", False)]:
        batch = LetterBatchFactory(created_by=staff_user, back_url=url)
        page = page_of(staff.get(reverse("letter_job", args=[batch.pk])))
        assert (f'href="{url}"' in page) is shown


def test_the_pdf_is_downloaded_once_then_gone(staff, school_class, pupils):
    url, form = reset_form(staff, school_class)
    job = staff.post(url, form)
    downloaded(staff, job)
    again = staff.post(reverse("letter_job_download", args=[job_pk(job)]), follow=True)
    assert "ne sont plus disponibles" in page_of(again)
    assert "déjà été téléchargés" in page_of(staff.get(job["Location"]))
    assert LetterBatch.objects.get().sealed_pdf is None


def test_the_file_name_has_no_space(staff, school_class, pupils):
    url, form = reset_form(staff, school_class)
    pdf = downloaded(staff, staff.post(url, form))
    assert re.fullmatch(
        r'attachment; filename="courriers-4e-b-\d{8}-\d{4}\.pdf"', pdf["Content-Disposition"]
    )


@pytest.mark.parametrize(("per_page", "pages"), [("1", 5), ("2", 3), ("4", 2)])
def test_letters_one_two_or_four_per_a4_page(staff, school_class, per_page, pages):
    users = [UserFactory(school_class=school_class, last_name=f"Page{n}") for n in range(5)]
    pdf = downloaded(staff, print_letters(staff, users, par_page=per_page))
    assert LetterBatch.objects.get().per_page == int(per_page)
    assert pdf_pages(pdf) == pages  # ceil(5 / k): no letter spills onto another sheet
    letters = letters_in(pdf.content)
    assert len(letters) == 5
    assert all(User.objects.get(username=i).check_password(p) for i, p in letters.items())


def test_the_confirming_forms_offer_the_layouts(staff, school_class, pupils):
    page = page_of(staff.get(reverse("seance_reset", args=[school_class.pk])))
    assert "1, 2 ou 4 courriers par page" in page
    assert 'name="par_page" value="1" checked' in page and 'name="par_page" value="4"' in page


def test_a_practice_pupil_s_letter_gives_the_invented_birth_date(staff, practice_class):
    pupil = UserFactory(school_class=practice_class, birth_date=date(2012, 3, 14))
    url, form = reset_form(staff, practice_class)
    text = pdf_text(downloaded(staff, staff.post(url, form))).replace("\u00a0", " ")
    assert "Ta date de naissance (inventée pour l'entraînement) : 14/03/2012" in text
    assert pupil.username in text


def test_a_real_pupil_s_letter_never_prints_the_birth_date(staff, school_class, pupils):
    url, form = reset_form(staff, school_class)
    text = pdf_text(downloaded(staff, staff.post(url, form))).replace("\u00a0", " ")
    assert "Ta date de naissance" not in text and "14/03/2012" not in text


def test_printing_a_practice_class_again_gives_the_same_letters(staff, practice_class):
    users = [UserFactory(school_class=practice_class, last_name=n) for n in ["Abel", "Zola"]]
    first = letters_in(downloaded(staff, print_letters(staff, users)).content)
    second = letters_in(downloaded(staff, print_letters(staff, users)).content)
    assert first == second and len(first) == 2
    assert LetterBatch.objects.filter(school_class=practice_class).count() == 2


def test_the_reset_lifts_the_lockouts_in_the_server_s_own_cache_at_once(
    staff, school_class, pupils
):
    """The worker is another process: with local memory as the cache (classroom mode), its
    unlock would not reach the server's. The request lifts them itself."""
    for _ in range(5):
        lockout.register_failure(pupils[0].username)
    assert lockout.is_locked(pupils[0].username)
    url, form = reset_form(staff, school_class)
    staff.post(url, form)
    assert not lockout.is_locked(pupils[0].username)  # before the worker ran


def test_a_practice_class_s_same_letters_go_to_its_own_pupils_only(
    staff, staff_user, practice_class, school_class
):
    """A job for a practice class leaves out anyone who is not (or no longer) in it: the same
    letter derived from the class is never given to a real pupil."""
    invented = UserFactory(school_class=practice_class, last_name="Abel")
    real = UserFactory(school_class=school_class, last_name="Vrai", raw_password="Vrai#Secret99")
    batch = LetterBatchFactory(
        created_by=staff_user,
        kind="letters",
        school_class=practice_class,
        user_ids=[invented.pk, real.pk],
        total=2,
        public_key=bytes(PrivateKey.generate().public_key).hex(),
    )
    make_letters.call(batch.pk)
    batch.refresh_from_db()
    assert batch.status == "done" and batch.total == 1
    assert reissued(invented) == 1 and reissued(real) == 0


def test_the_admin_s_old_address_of_a_job_leads_to_its_page(staff, staff_user):
    batch = LetterBatchFactory(created_by=staff_user)
    response = staff.get(reverse("admin:accounts_letterbatch_progress", args=[batch.pk]))
    assert response["Location"] == reverse("letter_job", args=[batch.pk])


def test_an_odd_layout_falls_back_to_one_letter_per_page(staff, issued):
    downloaded(staff, print_letters(staff, [issued.user], par_page="3"))
    assert LetterBatch.objects.get().per_page == 1
