"""The load driver: real HTTP clients (httpx, asyncio), in a process apart from the server.

Cookies are kept by hand: the server runs in production mode behind a (simulated) HTTPS proxy,
so its cookies are ``Secure`` and a standard cookie jar would not send them back over the
loopback's plain HTTP.
"""

import asyncio
import base64
import re
import statistics
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    def __init__(self, client, base):
        self.client, self.base, self.cookies = client, base, {}

    async def request(self, method, path, data=None, headers=None):
        headers = {
            **(headers or {}),
            "X-Forwarded-Proto": "https",
            "Origin": self.base.replace("http://", "https://"),
            "Referer": self.base.replace("http://", "https://") + path,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = await self.client.request(method, self.base + path, data=data, headers=headers)
        for header in response.headers.get_list("set-cookie"):
            name, value = header.split(";", 1)[0].split("=", 1)
            if value in ("", '""') or "Max-Age=0" in header:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response

    async def get(self, path, headers=None):
        return await self.request("GET", path, headers=headers)

    async def post_form(self, path, data):
        """GET the page, POST the form with its CSRF token, follow one redirect."""
        page = await self.get(path)
        token = CSRF_RE.search(page.text).group(1)
        response = await self.request("POST", path, {**data, "csrfmiddlewaretoken": token})
        if response.status_code == 302:
            location = response.headers["location"]
            return location, await self.get(location)
        return None, response


async def sign_in(browser, identifier, password):
    location, page = await browser.post_form(
        "/educonnect/login/", {"login": identifier, "password": password}
    )
    return location, page


async def oidc_round_trip(browser, client_id, secret, redirect_uri):
    """What a service's sign-in costs the portal, for a person already signed in to it: the
    authorization request (its code), the token request (ID and access tokens), userinfo."""
    query = urlencode(
        {
            "client_id": client_id,
            "response_type": "code",
            "redirect_uri": redirect_uri,
            "scope": "openid identifiant profile etablissement email",
            "state": "banc",
            "nonce": "banc",
        }
    )
    response = await browser.get(f"/identity/o/authorize?{query}")
    codes = parse_qs(urlsplit(response.headers.get("location", "")).query).get("code")
    if response.status_code != 302 or not codes:
        return False
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    response = await browser.client.post(
        browser.base + "/identity/o/api/token",
        data={"grant_type": "authorization_code", "code": codes[0], "redirect_uri": redirect_uri},
        headers={"Authorization": f"Basic {basic}", "X-Forwarded-Proto": "https"},
    )
    if response.status_code != 200:
        return False
    access = response.json()["access_token"]
    response = await browser.client.get(
        browser.base + "/identity/o/api/userinfo",
        headers={"Authorization": f"Bearer {access}", "X-Forwarded-Proto": "https"},
    )
    return response.status_code == 200 and "preferred_username" in response.json()


async def cas_round_trip(browser, service):
    """A CAS service's sign-in: /cas/login (its ticket), then p3/serviceValidate."""
    response = await browser.get(f"/cas/login?{urlencode({'service': service})}")
    tickets = parse_qs(urlsplit(response.headers.get("location", "")).query).get("ticket")
    if response.status_code != 302 or not tickets:
        return False
    query = urlencode({"service": service, "ticket": tickets[0]})
    response = await browser.client.get(
        browser.base + f"/cas/p3/serviceValidate?{query}", headers={"X-Forwarded-Proto": "https"}
    )
    return response.status_code == 200 and "authenticationSuccess" in response.text


async def _pool(concurrency, items, job):
    queue = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    results = []

    async def worker():
        while not queue.empty():
            try:
                results.append(await job(queue.get_nowait()))
            except httpx.HTTPError:  # counted as a failure, reported at the end
                results.append(False)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return results


async def sign_in_at(browser, path, fields, identifier, password):
    """A sign-in on any login form: GET the form, POST it, follow the redirect."""
    location, page = await browser.post_form(path, {fields[0]: identifier, fields[1]: password})
    return location, page


async def activate(browser, identifier, provisional, birth_date):
    """A complete activation: provisional sign-in, the form, « Votre compte est créé »."""
    day, month, year = birth_date.split("/")  # JJ/MM/AAAA, typed in three boxes
    location, _page = await sign_in(browser, identifier, provisional)
    if location != "/educonnect/activation/":
        return False
    location, page = await browser.post_form(
        "/educonnect/activation/formulaire/",
        {
            "password1": "Nouveau#Depart7",
            "password2": "Nouveau#Depart7",
            "birth_day": day,
            "birth_month": month,
            "birth_year": year,
            "email": "",
        },
    )
    return location == "/educonnect/compte-cree/" and page.status_code == 200


async def bench_sign_ins(base, identifiers, password, concurrency):
    async with httpx.AsyncClient(timeout=600) as client:

        async def job(identifier):
            location, page = await sign_in(Browser(client, base), identifier, password)
            return location == "/services/" and page.status_code == 200

        started = time.perf_counter()
        results = await _pool(concurrency, identifiers, job)
        elapsed = time.perf_counter() - started
    return {"count": len(results), "ok": sum(results), "seconds": elapsed}


async def bench_activations(base, identifiers, provisional, birth_date, concurrency):
    async with httpx.AsyncClient(timeout=600) as client:

        async def job(identifier):
            return await activate(Browser(client, base), identifier, provisional, birth_date)

        started = time.perf_counter()
        results = await _pool(concurrency, identifiers, job)
        elapsed = time.perf_counter() - started
    return {"count": len(results), "ok": sum(results), "seconds": elapsed}


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


async def bench_pages(base, identifiers, password, paths, levels, requests_per_level):
    """For each concurrency level and path: requests/s and latency percentiles (ms)."""
    async with httpx.AsyncClient(timeout=600, limits=httpx.Limits(max_connections=64)) as client:
        browsers = []
        for identifier in identifiers[: max(levels)]:
            browser = Browser(client, base)
            await sign_in(browser, identifier, password)
            browsers.append(browser)
        # Warm every page once (template and code caches of every worker).
        for browser in browsers[:4]:
            for path in paths:
                await browser.get(path)
        table = []
        for level in levels:
            for path in paths:
                latencies, statuses = [], []

                async def one(browser, path=path, latencies=latencies, statuses=statuses):
                    started = time.perf_counter()
                    try:
                        status = (await browser.get(path)).status_code
                    except httpx.HTTPError:
                        status = 0
                    latencies.append((time.perf_counter() - started) * 1000)
                    statuses.append(status)

                per_client = max(1, requests_per_level // level)

                async def client_loop(browser, per_client=per_client, one=one):
                    for _ in range(per_client):
                        await one(browser)

                started = time.perf_counter()
                await asyncio.gather(*(client_loop(b) for b in browsers[:level]))
                elapsed = time.perf_counter() - started
                table.append(
                    {
                        "path": path,
                        "concurrency": level,
                        "requests": len(latencies),
                        "errors": sum(1 for s in statuses if s != 200),
                        "rps": len(latencies) / elapsed,
                        "p50_ms": statistics.median(latencies),
                        "p95_ms": _percentile(latencies, 0.95),
                        "p99_ms": _percentile(latencies, 0.99),
                    }
                )
    return table
