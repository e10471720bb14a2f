from django import template

from idp.rules import service_behind, services_offered

register = template.Library()


@register.inclusion_tag("idp/_applications.html")
def applications(enrolment):
    """« Mes applications »: the connected services offered to the establishment looked at."""
    return {"services": list(services_offered(enrolment))}


@register.inclusion_tag("idp/_service_asking.html", takes_context=True)
def service_asking(context):
    """On the sign-in page: which service sent the person here, so that nobody wonders why."""
    request = context.get("request")
    service, _protocol = service_behind(request.GET.get("next", "") if request else "")
    return {"service": service}
