"""One registry of connected services, in the admin; its tiles on the ENT home."""

from pathlib import Path

from allauth.idp.oidc.models import Client
from django.core.management import call_command
from django.urls import reverse

from idp.models import ConnectedService
from idp.rules import url_matches_prefix
from tests.factories import EstablishmentFactory


def test_staff_register_an_oidc_service_and_see_its_secret_once(client, staff_user, establishment):
    """Saving the entry makes the allauth client: exact URIs, scopes from the attributes."""
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:idp_connectedservice_add"),
        {
            "name": "Cahier de textes",
            "protocol": "oidc",
            "home_url": "https://cdt.example.test/",
            "is_active": "on",
            "attributes": ["profile", "etablissement"],
            "establishments": [establishment.pk],
            "client_type": "confidential",
            "redirect_uris": "https://cdt.example.test/retour/",
            "post_logout_redirect_uris": "",
            "backchannel_logout_uri": "",
            "cas_service_prefixes": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Secret du client, affiché une seule fois" in page
    service = ConnectedService.objects.get()
    oauth = Client.objects.get(pk=service.oidc_client_id)
    assert oauth.get_redirect_uris() == ["https://cdt.example.test/retour/"]
    assert oauth.get_scopes() == ["openid", "profile", "etablissement"]
    assert oauth.skip_consent
    assert oauth.type == "confidential"


def test_the_admin_refuses_a_cas_service_without_an_address(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:idp_connectedservice_add"),
        {"name": "Médiathèque", "protocol": "cas", "home_url": "https://m.example.test/"},
    )
    assert response.status_code == 200
    assert "Au moins une adresse autorisée." in response.content.decode()
    assert not ConnectedService.objects.exists()


def test_the_ent_home_shows_the_services_of_the_establishment(accepted, oidc_service, cas_service):
    """« Mes applications »: the establishment's services, not another establishment's."""
    ConnectedService.objects.create(
        name="Service d'ailleurs",
        protocol="cas",
        home_url="https://ailleurs.example.test/",
        cas_service_prefixes="https://ailleurs.example.test/",
    ).establishments.add(EstablishmentFactory())
    page = accepted.get(reverse("portal:ent_home")).content.decode()
    assert "Mes applications" in page
    assert 'href="https://cdt.example.test/"' in page
    assert 'href="https://mediatheque.example.test/"' in page
    assert "Service d'ailleurs" not in page


def test_no_tiles_without_services(accepted):
    assert "Mes applications" not in accepted.get(reverse("portal:ent_home")).content.decode()


def test_prefix_matching_is_by_scheme_host_port_and_path():
    prefix = "https://cdt.example.test/cas/"
    assert url_matches_prefix("https://cdt.example.test/cas/login?next=/a", prefix)
    assert url_matches_prefix("https://CDT.example.test:443/cas/", prefix)
    assert not url_matches_prefix("https://cdt.example.test/cassis", prefix)
    assert not url_matches_prefix("https://cdt.example.test/", prefix)
    assert not url_matches_prefix("https://cdt.example.test:444/cas/", prefix)
    assert not url_matches_prefix("https://user@cdt.example.test/cas/", prefix)
    assert url_matches_prefix("https://cdt.example.test/cas/x", "https://cdt.example.test/cas")
    assert not url_matches_prefix("https://cdt.example.test/cassis", "https://cdt.example.test/cas")


def test_register_example_service_is_idempotent(db, tmp_path: Path):
    """`make example` runs it at each start: two entries, never more."""
    secret = tmp_path / "secret"
    secret.write_text("un-secret\n")
    for _ in range(2):
        call_command(
            "register_example_service", "--url", "http://127.0.0.1:8001", "--secret-file", secret
        )
    assert ConnectedService.objects.count() == 2
    oidc = ConnectedService.objects.get(protocol="oidc")
    assert oidc.oidc_client.check_secret("un-secret")


def test_make_run_makes_the_development_key_once(tmp_path):
    """`python -m idp.keys PATH`: a PEM readable by its owner only, never overwritten."""
    from idp.keys import main

    path = tmp_path / "data" / "oidc-dev-key.pem"
    main(str(path))
    first = path.read_text()
    assert "BEGIN PRIVATE KEY" in first
    assert path.stat().st_mode & 0o077 == 0
    main(str(path))
    assert path.read_text() == first


def test_the_written_query_of_the_tiles_gives_what_the_orm_gives(db):
    from idp.rules import services_offered, services_offered_queryset
    from tests.factories import EnrolmentFactory
    from tests.helpers import field_values

    enrolment = EnrolmentFactory()
    here, elsewhere = enrolment.establishment, EstablishmentFactory()

    def service(name, *establishments, active=True):
        created = ConnectedService.objects.create(
            name=name,
            protocol="cas",
            home_url=f"https://{name}.example.test/",
            cas_service_prefixes=f"https://{name}.example.test/",
            is_active=active,
            attributes=["email"],
        )
        created.establishments.add(*establishments)

    service("zeta")  # offered everywhere
    service("alpha", here, elsewhere)  # twice in the join: once in the list
    service("beta", elsewhere)
    service("gamma", here, active=False)

    for looked_at in (enrolment, None):
        written = services_offered(looked_at)
        assert [field_values(s) for s in written] == [
            field_values(s) for s in services_offered_queryset(looked_at)
        ]
    assert [s.name for s in services_offered(enrolment)] == ["alpha", "zeta"]
    assert [s.name for s in services_offered(None)] == ["zeta"]
