"""Hashing many passwords at once, on every CPU core (accounts.actions.do_issue_many).

One hash costs ~16 ms at OWASP's parameters; a year group of 300 pupils is ~5 s on one core and
half that on two. Everything else is a few bulk queries in one transaction.

The hashing processes are forked from a server of their own (multiprocessing's « forkserver »),
never from the process that asks: that one has threads (gunicorn's, the worker's, a test's live
server), and a child forked from it starts with every lock those threads held at that moment,
held forever: the child waits, and the batch with it. The hasher goes to them with each task
(pickled by its class), so the children hash with the one the settings give now.
"""

import os
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from multiprocessing import get_context

from django.contrib.auth.hashers import get_hasher

PARALLEL_FROM = 8  # below this, starting processes costs more than it saves


def _hash(hasher, password):
    """``make_password(password)`` with that hasher."""
    return hasher.encode(password, hasher.salt())


def hash_all(passwords, workers=None, progress=None):
    """The hashes, in order. ``progress(done)`` is called now and then."""
    workers = workers or os.cpu_count() or 1
    one = partial(_hash, get_hasher("default"))
    if len(passwords) < PARALLEL_FROM or workers == 1:
        hashes = [one(p) for p in passwords]
    else:
        chunk = max(1, min(64, len(passwords) // (workers * 8)))
        hashes = []
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("forkserver")) as pool:
            for encoded in pool.map(one, passwords, chunksize=chunk):
                hashes.append(encoded)
                if progress and len(hashes) % 50 == 0:
                    progress(len(hashes))
    if progress:
        progress(len(hashes))
    return hashes
