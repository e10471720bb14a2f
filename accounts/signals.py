"""What accounts tells the rooms above it, which it never imports (docs/architecture.md, « Les
pièces et leurs étages »)."""

from django.db import transaction
from django.dispatch import Signal

# Sent once committed, when people's access was withdrawn: a new letter (a re-issue, a class
# reset) or a departure. ``users``: the accounts. idp ends their sessions in the connected
# services (single sign-out) and revokes their tokens.
access_withdrawn = Signal()


def withdraw_access_on_commit(users):
    users = list(users)
    transaction.on_commit(lambda: access_withdrawn.send(sender=None, users=users))
