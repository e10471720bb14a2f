"""The staff's pages (the admin, « Suivi des comptes », the séance and its projector, the
letter job, the TOTP pages, the teacher's space) and their error states, in a real browser:
they hold together at 360 and 1366 px (the séance and « Suivi des comptes » at 320 px too) by
the pupils' layout test, and axe-core finds nothing serious or critical on them."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.factories import UserFactory, teacher_of
from tests.helpers import (
    GOOD_PASSWORD,
    LAYOUT_PROBLEMS,
    WORD_CUTS,
    a_class,
    a_class_of_three,
    check_axe,
    contrast_ratio,
    controls_of,
    csv_bytes,
    focus_is_visible,
    focus_ring_contrast,
    sign_in,
    signed_in_context,
)

pytestmark = pytest.mark.e2e

STAFF_WIDTHS = [360, 1366]


def audit(page, name, screenshot, widths=STAFF_WIDTHS):
    """The layout test at each width, a screenshot at 360 px, then axe-core."""
    for width in widths:
        page.set_viewport_size({"width": width, "height": 800})
        # Reading a box lays the page out at the new width before it is measured. (Waiting for
        # animation frames instead could wait for ever: a page the browser deems hidden gets none.)
        page.evaluate("() => document.documentElement.getBoundingClientRect().width")
        problems = page.evaluate(LAYOUT_PROBLEMS) + page.evaluate(WORD_CUTS)
        assert not problems, f"{name} at {width} px:\n" + "\n".join(problems[:10])
        if width == 360:
            screenshot(page, f"staff-{name}-360")
    # « region » (moderate): all the page in landmarks, the simulation notice included, so that
    # whoever jumps from landmark to landmark meets it.
    check_axe(page, name, also={"region"})
    focus_problems(page, name)


def track_contrast(page, selector):
    """A bar's track edge (its border, else its fill) against the page behind it."""
    border, back = page.locator(selector).first.evaluate(
        """(el) => {
          const rgb = (t) => t.match(/\\d+/g).slice(0, 3).map(Number);
          let up = el.parentElement;
          while (getComputedStyle(up).backgroundColor === "rgba(0, 0, 0, 0)") up = up.parentElement;
          const style = getComputedStyle;
          const edge = parseFloat(style(el).borderTopWidth) > 0
            ? style(el).borderTopColor : style(el).backgroundColor;
          return [rgb(edge), rgb(style(up).backgroundColor)];
        }"""
    )
    return contrast_ratio(border, back)


def describe(locator):
    return locator.evaluate(
        "(el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' « '"
        " + (el.innerText || el.value || el.name || '').trim().slice(0, 30) + ' »'"
    )


def focus_problems(page, name, *, contrast=True):
    """Every link, button and field of the page's main part: a visible focus, and a ring of
    3:1 at least against what is behind it."""
    pause = page.locator("#seance-pause")
    if pause.count() and pause.get_attribute("aria-pressed") == "false":
        pause.click()  # the cards stay put while they are checked
    problems = []
    for control in controls_of(page):
        if not focus_is_visible(page, control):
            problems.append(f"{describe(control)}: no visible focus")
        elif contrast and (ratio := focus_ring_contrast(page, control)) < 3:
            problems.append(f"{describe(control)}: focus ring at {ratio:.2f}:1")
    assert not problems, f"{name}:\n" + "\n".join(problems[:15])


def a_class_with_one_stuck_pupil():
    school_class, pupils = a_class_of_three()
    sign_in(Client(), pupils[0].username, "Mauvais#1")
    return school_class


def signed_in(browser, live_server, user):
    return signed_in_context(browser, live_server, user)


def test_the_admins_pages_and_their_error_states_hold_together_and_pass_axe(
    browser, live_server, charter, screenshot, tmp_path
):
    school_class = a_class_with_one_stuck_pupil()
    staff = UserFactory(superuser=True, username="secretariat.pages")
    context, page = signed_in(browser, live_server, staff)
    url = live_server.url

    page.goto(url + "/admin/")
    audit(page, "admin-accueil", screenshot)
    page.goto(url + "/admin/accounts/user/")
    audit(page, "utilisateurs", screenshot)
    # A failed admin action: nothing selected.
    page.locator("select[name=action]").select_option(index=1)
    page.get_by_role("button", name=re.compile("Envoyer|Exécuter|Go")).click()
    expect(page.locator(".messagelist")).to_be_visible()
    audit(page, "utilisateurs-action-refusee", screenshot)

    page.goto(url + "/admin/accounts/user/add/")
    audit(page, "ajouter", screenshot)
    page.locator("#id_last_name").fill("Benali")
    page.locator("#id_first_name").fill("Inès")
    page.locator("select[name=establishment]").select_option(index=1)
    page.get_by_role("button", name="Créer le compte et émettre les identifiants").click()
    # No birth date: the focus on the summary, whose line leads to the box; errors beside it.
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.locator("#form-errors a")).to_have_attribute("href", "#id_birth_date")
    audit(page, "ajouter-erreurs", screenshot)
    page.locator("#id_birth_date").fill("02/07/2012")
    page.get_by_role("button", name="Créer le compte et émettre les identifiants").click()
    expect(page.get_by_role("button", name="Imprimer son courrier")).to_be_visible()
    audit(page, "ajouter-compte-cree", screenshot)

    page.goto(url + "/admin/accounts/user/importer/")
    audit(page, "importer", screenshot)
    refused = a_class(2) + [["", "Sans nom", "99/99/2012", "5e C", "", ""]]
    csv = tmp_path / "eleves.csv"
    csv.write_bytes(csv_bytes(refused))
    page.locator("select[name=establishment]").select_option(index=1)
    page.locator("input[type=file]").set_input_files(str(csv))
    page.locator("#content-main form [type=submit]").first.click()
    expect(page.locator("#content-main")).to_contain_text("ligne")
    expect(page.locator(".errornote")).to_be_focused()  # « Le fichier contient des erreurs »
    audit(page, "importer-ligne-refusee", screenshot)

    page.goto(url + "/admin/suivi/")
    audit(page, "suivi", screenshot, widths=[320, 360, 1366])
    page.goto(f"{url}/admin/seance/{school_class.pk}/")
    audit(page, "seance", screenshot, widths=[320, 360, 1366])
    # The help buttons have the séance's look, not the browser's grey default.
    help_button = page.locator(".seance-card__help button").first
    expect(help_button).to_have_css("border-top-color", "rgb(11, 93, 102)")
    expect(help_button).to_have_css("background-color", "rgb(255, 255, 255)")
    # The bars on a phone keep a width (they shrank to dots at 360 px).
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.locator(".seance-bar__track").first.bounding_box()["width"] > 150
    page.set_viewport_size({"width": 1366, "height": 800})
    assert track_contrast(page, ".seance-bar__track") >= 3
    page.goto(f"{url}/admin/seance/{school_class.pk}/projection/")
    audit(page, "videoprojecteur", screenshot)
    assert track_contrast(page, ".seance-bar__track") >= 3
    assert track_contrast(page, ".projection__track") >= 3

    page.goto(f"{url}/admin/seance/{school_class.pk}/reinitialiser/")
    audit(page, "reinitialiser", screenshot)
    page.get_by_role("button", name=re.compile("Oui, réinitialiser")).click()
    expect(page.get_by_role("heading", name="Réinitialisation de la classe 5e C")).to_be_visible()
    audit(page, "courriers", screenshot)
    context.close()


def test_the_totp_pages_hold_together_and_pass_axe(browser, live_server, screenshot):
    url = live_server.url
    newcomer = UserFactory(
        username="nouveau.staff", is_staff=True, is_superuser=True, raw_password=GOOD_PASSWORD
    )
    context, page = signed_in(browser, live_server, newcomer)
    page.goto(url + "/admin/")
    # allauth asks for the password again before a key is set up.
    audit(page, "totp-reauthentification", screenshot)
    page.get_by_label("Mot de passe", exact=True).fill(GOOD_PASSWORD)
    page.locator("main form [type=submit]").first.click()
    expect(page.locator("input[name=code]")).to_be_visible()
    audit(page, "totp-activation", screenshot)
    page.locator("input[name=code]").fill("000000")
    page.locator("input[name=code]").press("Enter")
    expect(page.locator(".errorlist, .field-errors, [role=alert]").first).to_be_visible()
    audit(page, "totp-activation-erreur", screenshot)
    context.close()

    staff = UserFactory(staff=True, username="secretariat.totp", raw_password=GOOD_PASSWORD)
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(url + "/admin/")
    audit(page, "connexion-personnel", screenshot)
    page.get_by_label(re.compile(r"^Identifiant")).fill(staff.username)
    page.get_by_label(re.compile(r"^Mot de passe")).fill(GOOD_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("input[name=code]")).to_be_visible()
    audit(page, "totp-code", screenshot)
    page.locator("input[name=code]").fill("000000")
    page.locator("input[name=code]").press("Enter")
    audit(page, "totp-code-erreur", screenshot)
    context.close()


def test_the_teachers_pages_hold_together_and_pass_axe(browser, live_server, charter, screenshot):
    school_class = a_class_with_one_stuck_pupil()
    teacher = teacher_of(school_class)
    context, page = signed_in(browser, live_server, teacher)
    page.goto(live_server.url + "/enseignant/")
    audit(page, "mes-classes", screenshot)
    page.goto(f"{live_server.url}/enseignant/classe/{school_class.pk}/")
    audit(page, "enseignant-seance", screenshot, widths=[320, 360, 1366])
    context.close()

    # Less motion asked of the system: the bars move without a transition.
    context, page = signed_in(browser, live_server, teacher)
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{live_server.url}/enseignant/classe/{school_class.pk}/")
    expect(page.locator(".seance-bar__fill").first).to_have_css("transition-duration", "0s")
    context.close()


def test_the_focus_stays_visible_in_forced_colours(browser, live_server, charter):
    """Windows' contrast themes drop shadows and backgrounds: the focus must still show."""
    school_class = a_class_with_one_stuck_pupil()
    staff = UserFactory(superuser=True, username="secretariat.contraste")
    teacher = teacher_of(school_class)
    for user, urls in [
        (staff, ["/admin/", "/admin/accounts/user/", f"/admin/seance/{school_class.pk}/"]),
        (teacher, ["/enseignant/", f"/enseignant/classe/{school_class.pk}/"]),
    ]:
        client = Client()
        client.force_login(user)
        context = browser.new_context(locale="fr-FR", forced_colors="active")
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        for url in urls:
            page.goto(live_server.url + url)
            focus_problems(page, f"{url} (couleurs forcées)", contrast=False)
        context.close()


def test_the_contrast_ratio_follows_wcag():
    assert round(contrast_ratio((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert round(contrast_ratio((255, 255, 255), (255, 255, 255)), 1) == 1.0
    assert round(contrast_ratio((0x77, 0x77, 0x77), (255, 255, 255)), 2) == 4.48
    # The finding: Bootstrap's field border on white.
    assert round(contrast_ratio((0xDE, 0xE2, 0xE6), (255, 255, 255)), 2) == 1.3
