"""The instances recover without being restarted: from their database connections cut (what a
PostgreSQL restart does to them), and from Redis going away and coming back. While Redis is
away a sign-in is a French 503 (the lockout fails closed), never a traceback."""

import html

import psycopg

from tests.cluster.conftest import needs_cluster
from tests.cluster.test_everything_shared_is_shared import Alternating

pytestmark = needs_cluster

UNAVAILABLE = "Service momentanément indisponible"


def test_the_instances_reconnect_after_the_database_cut_their_connections(cluster):
    seeded = cluster.seeded
    person = Alternating(cluster.urls, "127.0.0.30")
    assert person.sign_in(seeded["active"][0], seeded["password"]).headers["location"] == (
        "/services/"
    )
    database = cluster.running.args.database
    with psycopg.connect(cluster.running.server_url + "/postgres", autocommit=True) as admin:
        cut = admin.execute(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()) AS t",
            [database],
        ).fetchone()[0]
    assert cut >= 1  # the instances and the worker held connections
    # Every request after the cut is served, on both instances: no 500, no 503.
    for identifier in seeded["active"][1:5]:
        person.cookies.clear()
        response = person.sign_in(identifier, seeded["password"])
        assert response.headers.get("location") == "/services/", response.status_code
        assert person.get("/services/").status_code == 200


def test_while_redis_is_away_a_sign_in_is_a_french_503_and_then_works_again(cluster):
    seeded = cluster.seeded
    person = Alternating(cluster.urls, "127.0.0.31")
    cluster.running.redis.stop()
    try:
        for _ in range(2):  # on both instances
            response = person.sign_in(seeded["active"][10], seeded["password"])
            assert response.status_code == 503
            page = html.unescape(response.text)
            assert UNAVAILABLE in page and "Traceback" not in page
            person.turn += 1
    finally:
        cluster.running.redis.start()
    for _ in range(2):
        person.cookies.clear()
        response = person.sign_in(seeded["active"][10], seeded["password"])
        assert response.headers.get("location") == "/services/", response.status_code
        person.turn += 1
