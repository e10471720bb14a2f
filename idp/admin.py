from allauth.idp.oidc.models import Client, Token
from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from idp.actions import do_save_service
from idp.models import ATTRIBUTE_CHOICES, ConnectedService
from idp.rules import url_matches_prefix


class ConnectedServiceForm(forms.ModelForm):
    home_url = forms.URLField(label=_("adresse du service"), assume_scheme="https")
    backchannel_logout_uri = forms.URLField(
        label=_("adresse de déconnexion « back-channel » (OIDC)"),
        assume_scheme="https",
        required=False,
        help_text=_("Le portail y envoie un logout_token quand la personne se déconnecte."),
    )
    attributes = forms.MultipleChoiceField(
        label=_("informations transmises"),
        choices=ATTRIBUTE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("En plus d'un identifiant opaque, propre à chaque service."),
    )

    class Meta:
        model = ConnectedService
        fields = [
            "name",
            "protocol",
            "home_url",
            "is_active",
            "attributes",
            "establishments",
            "client_type",
            "redirect_uris",
            "post_logout_redirect_uris",
            "backchannel_logout_uri",
            "cas_service_prefixes",
        ]

    def clean(self):
        data = super().clean()
        protocol = data.get("protocol")
        lines = [line.strip() for line in (data.get("redirect_uris") or "").splitlines()]
        if protocol == ConnectedService.Protocol.OIDC and not any(lines):
            self.add_error("redirect_uris", _("Au moins une adresse de retour."))
        for uri in filter(None, lines):
            if not uri.startswith(("https://", "http://127.0.0.1", "http://localhost")):
                self.add_error("redirect_uris", _("HTTPS obligatoire (sauf 127.0.0.1)."))
        prefixes = [p.strip() for p in (data.get("cas_service_prefixes") or "").splitlines()]
        if protocol == ConnectedService.Protocol.CAS and not any(prefixes):
            self.add_error("cas_service_prefixes", _("Au moins une adresse autorisée."))
        for prefix in filter(None, prefixes):
            if not url_matches_prefix(prefix, prefix):
                self.add_error("cas_service_prefixes", _("Adresse invalide : %s") % prefix)
        return data


@admin.register(ConnectedService)
class ConnectedServiceAdmin(admin.ModelAdmin):
    form = ConnectedServiceForm
    list_display = ["name", "protocol", "client_id", "is_active"]
    list_filter = ["protocol", "is_active"]
    search_fields = ["name", "home_url"]
    filter_horizontal = ["establishments"]
    readonly_fields = ["client_id"]
    fieldsets = [
        (None, {"fields": ["name", "protocol", "home_url", "is_active", "attributes"]}),
        (_("Établissements"), {"fields": ["establishments"]}),
        (
            _("OpenID Connect"),
            {
                "fields": [
                    "client_id",
                    "client_type",
                    "redirect_uris",
                    "post_logout_redirect_uris",
                    "backchannel_logout_uri",
                ]
            },
        ),
        (_("CAS"), {"fields": ["cas_service_prefixes"]}),
    ]

    @admin.display(description=_("identifiant du client (client_id)"))
    def client_id(self, obj):
        return obj.oidc_client_id or "—"

    def save_model(self, request, obj, form, change):
        secret = do_save_service(obj)
        if secret:
            self.message_user(
                request,
                format_html(
                    "{} <code>{}</code>",
                    _("Secret du client, affiché une seule fois :"),
                    secret,
                ),
                level=messages.WARNING,
            )


# One registry: allauth's clients are kept in step with « Services connectés » (idp/actions.py)
# and are not edited on their own; tokens are hashes, of no use to the school's staff.
admin.site.unregister(Client)
admin.site.unregister(Token)
