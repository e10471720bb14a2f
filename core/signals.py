"""Signals of the ground floor that the rooms above listen to (no room is imported here)."""

from django.dispatch import Signal

# Sent by ``manage.py db_worker`` before it takes its first task: a room puts back in the queue
# what a worker killed mid-task left half-way (staff: a letter batch left « en cours »).
worker_starting = Signal()
