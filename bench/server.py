"""The system under test: a throw-away PostgreSQL database, gunicorn serving factcheck as in
production, and a sampler of the server's memory."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil
import psycopg
from psycopg import sql

from bench.loadgen import HOST, Client

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/"


def database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


@contextlib.contextmanager
def throwaway_database(server_url: str, name: str) -> Iterator[str]:
    """Create database `name` on the server of `server_url`, yield its URL, drop it after
    (with FORCE, so connections left open by an interrupted run do not keep it alive)."""
    admin_url = database_url(server_url, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield database_url(server_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def production_environment(db_url: str) -> dict[str, str]:
    """The environment of a production deployment on 127.0.0.1 without TLS.

    The write rate limit is raised: the benchmark writes claims faster than any person, as
    one user, on purpose, and measures the write, not the throttle's refusal.
    """
    return {
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "DATABASE_URL": db_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "HTTPS": "0",
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "API_WRITE_RATE": "1000000/minute",
        "LOG_LEVEL": "WARNING",
        # glibc gives large freed blocks back to the system (docs/deployment.md).
        "MALLOC_TRIM_THRESHOLD_": "131072",
    }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass
class Memory:
    """Peak resident memory of the gunicorn master and workers (MiB)."""

    total: float = 0.0
    largest_process: float = 0.0
    # Proportional set size: shared pages (the interpreter, Django, read-only data) counted
    # once across the processes instead of once per process as RSS does.
    proportional: float = 0.0
    # The most any one process's RSS rose above what it was when the window opened (or when
    # the process first showed, for a worker started meanwhile): what the window's requests
    # cost a worker, whatever it held before.
    growth: float = 0.0


class MemorySampler:
    """Samples the RSS of a process tree every `interval` seconds on a thread. `window()`
    gives the peak since the last call, `overall` the peak of the whole run."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.root = psutil.Process(pid)
        self.interval = interval
        self.overall = Memory()
        self._window = Memory()
        self._opened: dict[int, float] = {}  # RSS of each process when the window opened
        self._latest: dict[int, float] = {}  # RSS of each process at the last sample
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._samples = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def window(self) -> Memory:
        # With PSS: a short window may otherwise hold no PSS sample at all.
        self.sample(with_pss=True)
        with self._lock:
            peak, self._window = self._window, Memory()
            self._opened = dict(self._latest)
        return peak

    def sample(self, with_pss: bool = False) -> None:
        sizes: dict[int, float] = {}
        shares: list[float] = []
        # PSS reads /proc/<pid>/smaps_rollup, dearer than RSS: one sample in ten.
        self._samples += 1
        with_pss = with_pss or self._samples % 10 == 1
        with contextlib.suppress(psutil.Error):
            for process in [self.root, *self.root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error, AttributeError):
                    if with_pss:
                        full = process.memory_full_info()
                        sizes[process.pid] = full.rss / 2**20
                        shares.append(full.pss / 2**20)
                    else:
                        sizes[process.pid] = process.memory_info().rss / 2**20
        if not sizes:
            return
        total, largest, proportional = sum(sizes.values()), max(sizes.values()), sum(shares)
        with self._lock:
            self._latest = sizes
            for pid, size in sizes.items():
                self._opened.setdefault(pid, size)
            growth = max(size - self._opened[pid] for pid, size in sizes.items())
            for peak in (self.overall, self._window):
                peak.total = max(peak.total, total)
                peak.largest_process = max(peak.largest_process, largest)
                peak.proportional = max(peak.proportional, proportional)
            self._window.growth = max(self._window.growth, growth)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int, log: Path) -> Iterator[tuple[int, int]]:
    """Serve factcheck with gunicorn as docs/deployment.md runs it; yield (port, master pid)
    once /healthz answers; stop it (TERM, then KILL) whatever happens."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "factcheck.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",
        "--max-requests",
        "2000",
        "--max-requests-jitter",
        "200",
        "--preload",
        "--log-level",
        "warning",
    ]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as log_file:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env={**os.environ, **env},
            stdout=log_file,
            stderr=subprocess.STDOUT,
            # Its own session: Ctrl-C reaches the benchmark, which stops gunicorn in order.
            start_new_session=True,
        )
        try:
            _wait_until_serving(port, process, seconds=60)
            yield port, process.pid
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def _wait_until_serving(port: int, process: subprocess.Popen[bytes], *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode} before serving")
        client = Client(port, timeout=2)
        try:
            status, _, _ = client.request("GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        finally:
            client.close()
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz within {seconds:.0f} s")
