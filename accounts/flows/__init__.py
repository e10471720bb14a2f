"""The journeys of the accounts room, one module each, like django-allauth's own
(allauth/account/internal/flows/): the views parse the request and render; a flow decides what
comes next, what the session keeps and which action (accounts.actions) changes what."""
