"""The secretariat's journeys in the admin, like django-allauth's flows (accounts/flows/): the
admin's views read the forms and render; a flow decides which action (accounts.actions,
staff.actions) runs and what comes of it."""
