from django import template

from idp.rules import services_offered

register = template.Library()


@register.inclusion_tag("idp/_applications.html")
def applications(enrolment):
    """« Mes applications »: the connected services offered to the establishment looked at."""
    return {"services": list(services_offered(enrolment))}
