"""`{% error_summary form %}`: after a submit that failed, the form's errors in one place above
it (templates/includes/error_summary.html). static/js/form-errors.js moves the focus there, so
that a screen reader reads it and the next Tab reaches the form, and takes a line away as soon as
its field is changed.

A form may group several boxes under one line with `error_groups` (the three boxes of a birth
date: {"birth_day": ("birth_date", label, "id_birth_day"), …}); `about` is the id of the box a
form-wide error is about (a wrong identifier or password: the identifier's box, under which the
page also says it)."""

from django import template

register = template.Library()


@register.inclusion_tag("includes/error_summary.html")
def error_summary(form, about=""):
    groups = getattr(form, "error_groups", {})
    # A form-wide error goes with the box it is about: changing that box takes it away too.
    about_name = next((field.name for field in form if field.id_for_label == about), "")
    items = [
        {"name": about_name, "error": error, "anchor": about} for error in form.non_field_errors()
    ]
    seen = set()
    for field in form:
        if not field.errors:
            continue
        default = (field.name, field.label, about if field.is_hidden else field.id_for_label)
        name, label, anchor = groups.get(field.name, default)
        if name in seen:
            continue
        seen.add(name)
        items.append({"name": name, "label": label, "anchor": anchor, "error": field.errors[0]})
    return {"items": items}
