"""Everything two instances must share is shared: each request of a pupil's journey goes to the
other instance than the one before (directly to 127.0.0.11 and 127.0.0.12, in turn), and the
lockout and the address limit are counted across both."""

import base64
import html
import re
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from tests.cluster.conftest import needs_cluster
from tests.helpers import GUARD_SECONDS

pytestmark = needs_cluster

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NEW_PASSWORD = "Nouveau#Depart7"
TEMPORARY = "C'est temporaire"
SLOWED = "Votre identifiant, lui, n'est pas bloqué"


class Alternating:
    """A browser whose every request goes to the other instance than the one before. Cookies
    are kept by hand: production cookies are ``Secure`` and the loopback is plain HTTP (the
    instances trust X-Forwarded-Proto, as behind the TLS terminator)."""

    def __init__(self, urls, source):
        transport = httpx.HTTPTransport(local_address=source)
        self.client = httpx.Client(transport=transport, timeout=GUARD_SECONDS)
        self.urls, self.turn, self.cookies, self.served = urls, 0, {}, []

    def next_base(self):
        base = self.urls[self.turn % len(self.urls)]
        self.turn += 1
        self.served.append(base)
        return base

    def request(self, method, path, data=None, headers=None, cookies=True):
        base = self.next_base()
        origin = "https://" + urlsplit(base).netloc
        headers = {"X-Forwarded-Proto": "https", "Origin": origin, **(headers or {})}
        if cookies and self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.client.request(method, base + path, data=data, headers=headers)
        for header in response.headers.get_list("set-cookie"):
            name, value = header.split(";", 1)[0].split("=", 1)
            if value in ("", '""') or "Max-Age=0" in header:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, path, data):
        """The form from one instance, sent to the other (its CSRF token with it)."""
        page = self.get(path)
        assert page.status_code == 200, (path, page.status_code)
        token = CSRF_RE.search(page.text).group(1)
        return self.request("POST", path, {**data, "csrfmiddlewaretoken": token})

    def sign_in(self, identifier, password):
        return self.post_form("/educonnect/login/", {"login": identifier, "password": password})


def text(response):
    return html.unescape(response.text)


def test_a_pupils_whole_journey_alternating_between_the_two_instances(cluster):
    seeded = cluster.seeded
    pupil = Alternating(cluster.urls, "127.0.0.20")
    # The letter's provisional password (the lesson's first pupils have not activated yet).
    response = pupil.sign_in("banc.eleve0", seeded["password"])
    assert response.headers.get("location") == "/educonnect/activation/", text(response)[-2000:]
    assert pupil.get("/educonnect/activation/").status_code == 200
    day, month, year = seeded["birth_date"].split("/")
    response = pupil.post_form(
        "/educonnect/activation/formulaire/",
        {
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "birth_day": day,
            "birth_month": month,
            "birth_year": year,
            "email": "",
        },
    )
    assert response.headers.get("location") == "/educonnect/compte-cree/", text(response)[-2000:]
    assert pupil.get("/educonnect/compte-cree/").status_code == 200
    # The charter, then PRONOTE.
    assert pupil.get("/services/").status_code == 200
    response = pupil.get("/pronote/")
    assert response.status_code == 302 and "/charte/" in response.headers["location"]
    response = pupil.post_form("/charte/", {"accept": "on"})
    assert response.status_code == 302, text(response)[-2000:]
    response = pupil.get("/pronote/")
    assert response.status_code == 200, response.headers.get("location")
    # Signed in again with the new password, on either instance.
    pupil.cookies.clear()
    response = pupil.sign_in("banc.eleve0", NEW_PASSWORD)
    assert response.headers.get("location") == "/services/"
    assert {*pupil.served} == {*cluster.urls}


def test_an_oidc_code_and_a_cas_ticket_made_by_one_instance_are_redeemed_at_the_other(cluster):
    seeded = cluster.seeded
    person = Alternating(cluster.urls, "127.0.0.20")
    assert person.sign_in(seeded["service_user"], seeded["password"]).headers["location"] == (
        "/services/"
    )
    oidc = seeded["oidc"]
    query = urlencode(
        {
            "client_id": oidc["client_id"],
            "response_type": "code",
            "redirect_uri": oidc["redirect_uri"],
            "scope": "openid identifiant profile etablissement email",
            "state": "grappe",
            "nonce": "grappe",
        }
    )
    response = person.get(f"/identity/o/authorize?{query}")
    code = parse_qs(urlsplit(response.headers.get("location", "")).query)["code"][0]
    basic = base64.b64encode(f"{oidc['client_id']}:{oidc['secret']}".encode()).decode()
    response = person.request(
        "POST",
        "/identity/o/api/token",
        {"grant_type": "authorization_code", "code": code, "redirect_uri": oidc["redirect_uri"]},
        headers={"Authorization": f"Basic {basic}"},
        cookies=False,
    )
    assert response.status_code == 200, response.text
    access = response.json()["access_token"]
    response = person.get(
        "/identity/o/api/userinfo", headers={"Authorization": f"Bearer {access}"}, cookies=False
    )
    assert response.json()["preferred_username"] == seeded["service_user"]

    service = seeded["cas_service"]
    response = person.get(f"/cas/login?{urlencode({'service': service})}")
    ticket = parse_qs(urlsplit(response.headers.get("location", "")).query)["ticket"][0]
    query = urlencode({"service": service, "ticket": ticket})
    response = person.get(f"/cas/p3/serviceValidate?{query}", cookies=False)
    assert "authenticationSuccess" in response.text, response.text


def test_an_sms_registration_begun_on_one_instance_goes_on_at_the_other(cluster):
    parent = Alternating(cluster.urls, "127.0.0.23")
    response = parent.post_form(
        "/educonnect/inscription/",
        {"last_name": "Counen", "first_name": "Sandrine", "mobile": "06 39 98 00 01"},
    )
    assert response.status_code == 302, text(response)[-2000:]
    code = None
    for _ in range(GUARD_SECONDS * 5):  # the SMS may be sent after the answer
        phone = text(parent.get("/telephone-demo/?numero=0639980001", cookies=False))
        found = re.search(r"\b(\d{6})\b", phone)
        if found:
            code = found.group(1)
            break
        time.sleep(0.2)
    assert code
    response = parent.post_form("/educonnect/inscription/code/", {"code": code})
    assert response.status_code == 302, text(response)[-2000:]
    assert "/code/" not in response.headers["location"]


def test_the_teachers_seance_is_the_same_on_both_instances(cluster):
    seeded = cluster.seeded
    teacher = Alternating(cluster.urls, "127.0.0.24")
    teacher.cookies["sessionid"] = seeded["staff_session"]
    first, second = teacher.get(seeded["seance_live"]), teacher.get(seeded["seance_live"])
    assert first.status_code == second.status_code == 200
    assert first.headers.get("etag") == second.headers.get("etag")
    # The stamp one instance gave is « not modified » at the other.
    etag = first.headers["etag"]
    assert teacher.get(seeded["seance_live"], headers={"If-None-Match": etag}).status_code == 304


def test_the_lockout_counts_failures_made_at_both_instances(cluster):
    person = Alternating(cluster.urls, "127.0.0.21")
    for _ in range(5):  # LOCKOUT_MAX_FAILURES, alternating
        assert person.sign_in("banc.eleve25", "Faux#Essai1").status_code == 200
        person.turn += 1  # the next failure on the other instance
    response = person.sign_in("banc.eleve25", cluster.seeded["password"])
    assert response.headers.get("location") != "/services/"
    assert TEMPORARY in text(response)


def test_the_address_limit_counts_failures_made_at_both_instances(cluster):
    person = Alternating(cluster.urls, "127.0.0.22")
    for n in range(6):  # RATE_LIMIT_FAILURES_PER_IP_PER_MINUTE of the cluster's environment
        assert person.sign_in(f"inconnu.grappe{n}", "Faux#Essai1").status_code in (200, 429)
        person.turn += 1  # the next failure on the other instance
    # Three failures per instance: each would still let a good password in if it counted alone.
    response = person.sign_in("banc.eleve26", cluster.seeded["password"])
    assert response.headers.get("location") != "/services/"
    assert SLOWED in text(response)
