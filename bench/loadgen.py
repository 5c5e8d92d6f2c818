"""The load generator: HTTP/1.1 clients on keep-alive connections, one per thread, and the
statistics of what they measured. Only 127.0.0.1 is ever a target.

Python threads are enough here: a request costs the client far less CPU than the server,
so on two cores the server saturates first (checked by loading /healthz, the floor, which
the client has to keep up with as well).
"""

from __future__ import annotations

import http.client
import json
import math
import statistics
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

HOST = "127.0.0.1"


class Client:
    """One keep-alive connection to the server under test, with its credentials.

    The connection reopens by itself when the server closes it (gunicorn's sync workers
    answer one request per connection), as a browser or an API client would.
    """

    def __init__(self, port: int, *, token: str | None = None, timeout: float = 60.0) -> None:
        self.port = port
        self.token = token
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(HOST, port, timeout=timeout)

    def close(self) -> None:
        self.connection.close()

    def request(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | str | None = None,
        headers: Mapping[str, str] | None = None,
        *,
        sink: bool = False,
    ) -> tuple[int, bytes, http.client.HTTPResponse]:
        """Send one request and read the whole answer. With sink=True the body is read in
        blocks and dropped (exports), so the client's memory stays out of the measure."""
        sent = {"Host": f"{HOST}:{self.port}", "Accept": "*/*"}
        if self.token:
            sent["Authorization"] = f"Token {self.token}"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        payload: bytes | None = None
        if isinstance(body, str):
            payload = body.encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            payload = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=payload, headers=sent)
                response = self.connection.getresponse()
                break
            except (ConnectionError, http.client.BadStatusLine):
                # The server closed a kept-alive connection between requests: retry once.
                self.connection.close()
                if attempt == 2:
                    raise
        if sink:
            while response.read(1 << 16):
                pass
            data = b""
        else:
            data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.will_close:
            self.connection.close()
        return response.status, data, response


@dataclass
class Sample:
    """What one workload measured: latencies in seconds, and the failures."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, seconds: float, status: int, ok: bool) -> None:
        self.latencies.append(seconds)
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if not ok:
            self.errors += 1

    def merge(self, other: Sample) -> None:
        self.latencies.extend(other.latencies)
        self.errors += other.errors
        for status, count in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + count

    @property
    def count(self) -> int:
        return len(self.latencies)

    def percentile(self, fraction: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        # Nearest rank: the smallest value with at least `fraction` of the samples at or below.
        rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered) - 1e-9)))
        return ordered[rank - 1]

    @property
    def median(self) -> float | None:
        return statistics.median(self.latencies) if self.latencies else None

    @property
    def throughput(self) -> float | None:
        return self.count / self.elapsed if self.elapsed > 0 else None


def timed(client: Client, method: str, path: str, **kwargs: Any) -> tuple[float, int, bytes]:
    started = time.perf_counter()
    status, data, _ = client.request(method, path, **kwargs)
    return time.perf_counter() - started, status, data


def sequential(
    client: Client,
    requests: Iterator[tuple[str, str, Mapping[str, Any] | None]],
    *,
    limit: int,
    seconds: float,
    expect: tuple[int, ...] = (200,),
    sink: bool = False,
) -> Sample:
    """Send up to `limit` requests one after the other, stopping at the time cap."""
    sample = Sample()
    started = time.perf_counter()
    deadline = started + seconds
    for _, (method, path, body) in zip(range(limit), requests, strict=False):
        latency, status, _ = timed(client, method, path, body=body, sink=sink)
        sample.add(latency, status, status in expect)
        if time.perf_counter() > deadline:
            sample.notes.append(f"stopped at the {seconds:.0f} s cap")
            break
    sample.elapsed = time.perf_counter() - started
    return sample


def concurrent(
    clients: list[Client],
    work: Callable[[int, Client, Sample], bool],
    *,
    seconds: float,
    limit_per_client: int,
) -> Sample:
    """Run `work(index, client, sample)` in a loop on one thread per client until the time
    cap, the per-client limit, or `work` returning False. Throughput counts every request
    recorded in the samples over the wall time of the whole run."""
    samples = [Sample() for _ in clients]
    barrier = threading.Barrier(len(clients) + 1)
    stop_at: list[float] = []
    failures: list[BaseException] = []

    def loop(index: int) -> None:
        barrier.wait()
        try:
            for _ in range(limit_per_client):
                if time.perf_counter() >= stop_at[0] or not work(
                    index, clients[index], samples[index]
                ):
                    break
        except BaseException as error:  # reported below, after the other threads finish
            failures.append(error)

    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    stop_at.append(started + seconds)
    barrier.wait()
    for thread in threads:
        thread.join()
    total = Sample(elapsed=time.perf_counter() - started)
    for sample in samples:
        total.merge(sample)
    if failures:
        raise failures[0]
    return total


def get_loop(
    paths: list[str], *, expect: tuple[int, ...] = (200,)
) -> Callable[[int, Client, Sample], bool]:
    """A `work` function for `concurrent`: each thread GETs the paths in turn."""
    counters: dict[int, int] = {}

    def work(index: int, client: Client, sample: Sample) -> bool:
        turn = counters.get(index, index)
        counters[index] = turn + 1
        latency, status, _ = timed(client, "GET", paths[turn % len(paths)])
        sample.add(latency, status, status in expect)
        return True

    return work
