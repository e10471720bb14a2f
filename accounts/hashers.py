from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """argon2id at OWASP's recommended parameters: m = 19 MiB, t = 2, p = 1.

    Django's defaults (100 MiB, p = 8) cost about seven times more per sign-in on a 2-core
    server, and a whole class signs in at once. It keeps the algorithm name "argon2", so hashes
    made with other argon2 parameters are recognised and re-hashed at the next sign-in.
    """

    time_cost = 2
    memory_cost = 19456
    parallelism = 1
