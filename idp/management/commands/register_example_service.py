"""Register examples/school_service in the registry (make example): one OpenID Connect entry
with a fixed client id and the given secret, and one CAS entry, both at --url."""

from pathlib import Path

from allauth.idp.oidc.models import Client
from django.core.management.base import BaseCommand

from idp.actions import do_save_service, do_set_client_secret
from idp.models import ConnectedService

CLIENT_ID = "exemple-service-scolaire"


def register_example(url, secret, *, name="Service scolaire d'exemple", client_id=CLIENT_ID):
    url = url.rstrip("/")
    client = Client.objects.filter(pk=client_id).first() or Client(id=client_id, name=name)
    client.save()
    oidc, _ = ConnectedService.objects.get_or_create(
        oidc_client=client,
        defaults={"name": name, "protocol": ConnectedService.Protocol.OIDC, "home_url": url},
    )
    oidc.name = name
    oidc.home_url = f"{url}/"
    oidc.attributes = ["identifiant", "profile", "etablissement", "email"]
    oidc.redirect_uris = f"{url}/accounts/oidc/ent/login/callback/"
    oidc.post_logout_redirect_uris = f"{url}/"
    oidc.backchannel_logout_uri = f"{url}/oidc/backchannel-logout/"
    do_save_service(oidc)
    do_set_client_secret(oidc, secret)
    cas, _ = ConnectedService.objects.update_or_create(
        protocol=ConnectedService.Protocol.CAS,
        cas_service_prefixes=f"{url}/cas/",
        defaults={
            "name": f"{name} (CAS)",
            "home_url": f"{url}/",
            "attributes": ["profile", "etablissement"],
        },
    )
    do_save_service(cas)
    return oidc, cas


class Command(BaseCommand):
    help = "Enregistre le service scolaire d'exemple (OpenID Connect et CAS) à --url."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8001")
        parser.add_argument("--secret-file", required=True)

    def handle(self, url, secret_file, **options):
        secret = Path(secret_file).read_text().strip()
        register_example(url, secret)
        self.stdout.write(f"Service d'exemple enregistré : {url} (client_id {CLIENT_ID})")
