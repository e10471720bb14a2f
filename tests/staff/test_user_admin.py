import re

from django.urls import reverse

from accounts.models import User
from audit.models import AuditEvent
from tests.helpers import page_of


def test_staff_add_a_pupil_and_see_the_provisional_password_once(client, staff_user, school_class):
    client.force_login(staff_user)
    form = client.get(reverse("admin:accounts_user_add"))
    assert form.status_code == 200
    assert "Simulation de formation." in form.content.decode()
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "last_name": "D'Arc-Müller",
            "first_name": "Éloïse",
            "birth_date": "02/07/2012",
            "role": "eleve",
            "establishment": school_class.establishment.pk,
            "school_class": school_class.pk,
            "email": "",
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    password = re.search(r'class="provisional-password">([^<]+)<', page).group(1)
    user = User.objects.get(username="e.darcmuller1")
    assert user.check_password(password)
    assert user.provisional_issued_by == staff_user
    assert AuditEvent.objects.filter(action="credentials_issued", actor=staff_user).exists()

    # Never again: not on the change page, not in the list, not in the audit trail.
    for url in [
        reverse("admin:accounts_user_change", args=[user.pk]),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:audit_auditevent_changelist"),
    ]:
        again = client.get(url)
        assert again.status_code == 200
        assert password not in again.content.decode()


def test_adding_with_bad_input_explains_and_creates_nothing(client, staff_user, school_class):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "last_name": "",
            "first_name": "---",
            "birth_date": "31/02/2012",
            "role": "eleve",
            "establishment": school_class.establishment.pk,
        },
    )
    assert response.status_code == 200
    page = page_of(response)
    assert "Ce champ est obligatoire." in page
    assert "date impossible ou illisible « 31/02/2012 »" in page
    assert User.objects.count() == 1


def test_a_name_without_letters_is_refused_next_to_the_form(client, staff_user, school_class):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "last_name": "123",
            "first_name": "Théo",
            "birth_date": "14/03/2012",
            "role": "eleve",
            "establishment": school_class.establishment.pk,
        },
    )
    assert response.status_code == 200
    assert "au moins une lettre" in response.content.decode()
    assert User.objects.count() == 1


def test_reissuing_asks_first_then_shows_new_passwords_once(client, staff_user, issued):
    client.force_login(staff_user)
    url = reverse("admin:accounts_user_changelist")
    data = {"action": "reissue_credentials", "_selected_action": [issued.user.pk]}
    confirm = client.post(url, data)
    assert confirm.status_code == 200
    assert "cesseront de fonctionner" in confirm.content.decode()
    user = User.objects.get(pk=issued.user.pk)
    assert user.check_password(issued.password)

    done = client.post(url, {**data, "confirm": "yes"})
    assert "no-store" in done["Cache-Control"]
    password = re.search(r'class="provisional-password">([^<]+)<', done.content.decode()).group(1)
    user = User.objects.get(pk=issued.user.pk)
    assert user.check_password(password) and not user.check_password(issued.password)
    assert AuditEvent.objects.filter(action="credentials_reissued", actor=staff_user).exists()


def test_the_audit_trail_is_read_only(client, staff_user, issued):
    client.force_login(staff_user)
    event = AuditEvent.objects.first()
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    response = client.post(
        reverse("admin:audit_auditevent_change", args=[event.pk]), {"action": "x"}
    )
    assert response.status_code == 403


def test_staff_mark_a_pupil_as_departed_after_a_confirmation(client, staff_user, pupil):
    """« Enregistrer le départ » says what it does, to whom, and waits for a yes."""
    client.force_login(staff_user)
    action = {"action": "mark_departed", "_selected_action": [pupil.pk]}
    page = page_of(client.post(reverse("admin:accounts_user_changelist"), action))
    assert "va être marquée comme partie" in page and "t.counen1" in page
    assert "Oui, enregistrer le départ" in page
    pupil.refresh_from_db()
    assert pupil.departed_at is None and pupil.is_active
    client.post(reverse("admin:accounts_user_changelist"), {**action, "confirm": "yes"})
    pupil.refresh_from_db()
    assert pupil.departed_at is not None and not pupil.is_active


def test_adding_one_pupil_speaks_of_one_and_prints_that_pupils_letter(
    client, staff_user, school_class
):
    from tests.helpers import downloaded, letters_in

    client.force_login(staff_user)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "last_name": "Benali",
            "first_name": "Inès",
            "birth_date": "02/07/2012",
            "role": "eleve",
            "establishment": school_class.establishment.pk,
            "school_class": school_class.pk,
            "email": "",
        },
    )
    page = page_of(response)
    main = page[page.index('<div id="content-main">') :]
    assert "Le mot de passe provisoire ci-dessous n'est affiché qu'une seule fois" in main
    assert "Les mots de passe provisoires" not in main and "<table" not in main
    assert '<input type="submit" class="default" value="Imprimer son courrier"' in page
    # The button sends the list's « Imprimer les courriers » for this one person, confirmed,
    # with the form's one-time token: the job's page, then the PDF with one letter.
    form = re.search(
        r'<form method="post" action="([^"]+)" id="print-one-letter">(.*?)</form>', page, re.S
    )
    data = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    user = User.objects.get(username="i.benali1")
    assert data["_selected_action"] == str(user.pk) and data["action"] == "print_letters"
    printed = client.post(form.group(1), data)
    assert printed.status_code == 303 and "/courriers/" in printed["Location"]
    letters = letters_in(downloaded(client, printed).content)
    assert list(letters) == ["i.benali1"]
    user.refresh_from_db()
    assert user.check_password(letters["i.benali1"])


def test_the_created_account_page_warns_without_the_error_style(client, staff_user, school_class):
    """« Compte créé » is a success: its note that the password is shown only once is a
    warning of the admin's message list, not the red box of a form error."""
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "last_name": "Martin",
            "first_name": "Léa",
            "birth_date": "02/07/2012",
            "role": "eleve",
            "establishment": school_class.establishment.pk,
            "school_class": school_class.pk,
            "email": "",
        },
    )
    page = response.content.decode()
    assert "<h1>Compte créé</h1>" in page
    assert 'class="errornote"' not in page
    warning = re.search(r'<ul class="messagelist"><li class="warning">([^<]+)</li>', page)
    assert "n'est affiché qu'une seule fois" in warning.group(1)


def test_the_users_list_is_titled_comptes(client, staff_user):
    client.force_login(staff_user)
    page = page_of(client.get(reverse("admin:accounts_user_changelist")))
    assert "<h1>Comptes</h1>" in page and "<title>Comptes |" in page
    assert "Sélectionnez" not in page
