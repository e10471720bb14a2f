"""The journeys of the families room, like django-allauth's flows (accounts/flows/): the
views parse the request and render; a flow decides what comes next, what is kept and which
action (families.actions) changes what."""
