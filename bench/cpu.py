"""Server CPU, read from /proc: what the operations cost the machine, whoever else runs on it.

user + system time of the gunicorn master and its workers, of the PostgreSQL backends connected
to the bench's database, and of the bench's own Redis server; read before and after a block of
operations. The load client's own CPU is not in it, nor other jobs' on the machine.
"""

import os
import subprocess
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def process_seconds(pid):
    """user + system CPU seconds of a process (all its live threads), 0 if it is gone.

    The scheduler's own count (/proc/PID/task/*/schedstat, nanoseconds on the CPU, user and
    system alike) rather than utime + stime in /proc/PID/stat: those are sampled at 100 Hz,
    too coarse for a 1 ms page. gunicorn's threads, PostgreSQL's backends and Redis's threads
    live as long as the run, so no thread's time is lost."""
    total = 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                total += int((task / "schedstat").read_text().split()[0])
            except OSError:
                continue
    except OSError:
        return 0.0
    if total:
        return total / 1e9
    try:  # no schedstat on this kernel: the ticks
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def children(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


class Meter:
    """Reads per-process CPU of every part of the server side; ``since`` gives the difference."""

    def __init__(self, servers, redis_pid=None, database=None):
        self.servers, self.redis_pid, self.database = servers, redis_pid, database
        self.monitor = None
        if database:
            import psycopg

            # A connection to another database: its own backend is never counted.
            self.monitor = psycopg.connect(
                "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
            )

    def _postgres_pids(self):
        if not self.monitor:
            return []
        rows = self.monitor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.database,)
        ).fetchall()
        return [row[0] for row in rows]

    def read(self):
        parts = {"gunicorn": {}, "postgres": {}, "redis": {}}
        for master in self.servers:
            for pid in [master, *children(master)]:
                parts["gunicorn"][pid] = process_seconds(pid)
        for pid in self._postgres_pids():
            parts["postgres"][pid] = process_seconds(pid)
        if self.redis_pid:
            parts["redis"][self.redis_pid] = process_seconds(self.redis_pid)
        return parts

    @staticmethod
    def since(before, after):
        """CPU seconds spent between two readings, per part (a process born in between counts
        from zero; one that ended in between loses what it spent since ``before``)."""
        return {
            part: sum(max(0.0, s - before[part].get(pid, 0.0)) for pid, s in pids.items())
            for part, pids in after.items()
        }

    def close(self):
        if self.monitor:
            self.monitor.close()
