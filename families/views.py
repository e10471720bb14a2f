from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from families.forms import DemoPhoneForm
from families.models import DemoTextMessage
from families.phones import is_fiction, national


def demo_phone(request):
    """« Téléphone de démonstration »: the SMS sent to a fiction number (06 39 98 xx xx) in
    the last day, newest first, so that a class can practise without a phone network."""
    form = DemoPhoneForm(request.GET if "numero" in request.GET else None)
    inbox, number, not_fiction = None, None, False
    if form.is_bound and form.is_valid():
        number = form.cleaned_data["numero"]
        if is_fiction(number):
            inbox = list(
                DemoTextMessage.objects.filter(
                    to=number, sent_at__gte=timezone.now() - timedelta(days=1)
                )[:20]
            )
        else:
            not_fiction = True
    return render(
        request,
        "families/demo_phone.html",
        {
            "form": form,
            "inbox": inbox,
            "number": national(number) if number else "",
            "number_e164": number,
            "not_fiction": not_fiction,
            "title": _("Téléphone de démonstration"),
        },
    )
