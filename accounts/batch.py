"""Hashing many passwords at once, on every CPU core (accounts.actions.do_issue_many).

One hash costs ~16 ms at OWASP's parameters; a year group of 300 pupils is ~5 s on one core and
half that on two. Everything else is a few bulk queries in one transaction.
"""

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from django.contrib.auth.hashers import make_password

PARALLEL_FROM = 8  # below this, starting processes costs more than it saves


def _hash(password):
    return make_password(password)  # the first of settings.PASSWORD_HASHERS


def hash_all(passwords, workers=None, progress=None):
    """The hashes, in order. ``progress(done)`` is called now and then."""
    workers = workers or os.cpu_count() or 1
    if len(passwords) < PARALLEL_FROM or workers == 1:
        hashes = [_hash(p) for p in passwords]
    else:
        chunk = max(1, min(64, len(passwords) // (workers * 8)))
        hashes = []
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
            for encoded in pool.map(_hash, passwords, chunksize=chunk):
                hashes.append(encoded)
                if progress and len(hashes) % 50 == 0:
                    progress(len(hashes))
    if progress:
        progress(len(hashes))
    return hashes
