"""The workloads: each drives the server over HTTP on 127.0.0.1, as a desk's browsers and
API clients do, and records a Row per size (bench/README.md describes them).

The one thing not measured over the socket is the number of queries an article's endpoints
run: the benchmark asks the same URLs of the application in its own process (Django's test
client, the same WSGI handler gunicorn calls) with the server's credentials, and counts the
queries there, since the server does not report them.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any
from urllib.parse import urlencode

from bench import budgets
from bench.budgets import Budget, Row
from bench.loadgen import Client, Sample, concurrent, get_loop, sequential, timed
from bench.report import format_line, step
from bench.server import Memory, MemorySampler


class Bench:
    def __init__(self, args: argparse.Namespace, port: int, sampler: MemorySampler) -> None:
        self.args = args
        self.port = port
        self.sampler = sampler
        self.rows: list[Row] = []
        self.floor: dict[int, Sample] = {}
        # Peak memory over all the formats' exports, by number of claims exported.
        self.export_memory: dict[int, Memory] = {}

    def client(self, token: str | None = None) -> Client:
        return Client(self.port, token=token)

    def record(self, row: Row) -> Row:
        self.rows.append(row)
        print("  " + format_line(row.figures(self.floor)), flush=True)
        return row

    def measure(self, run: Callable[[], Sample]) -> tuple[Sample, Memory]:
        self.sampler.window()
        sample = run()
        return sample, self.sampler.window()

    def available(self, client: Client, path: str, method: str = "GET", body: Any = None) -> bool:
        """False (and a note) when the server has no such endpoint: the workload is skipped
        rather than counted as failed requests."""
        status, _, _ = client.request(method, path, body=body)
        if status == 404:
            print(f"  {method} {path}: 404, skipped", flush=True)
            return False
        return True


def token_for(port: int, username: str, password: str) -> str:
    client = Client(port)
    status, data, _ = client.request(
        "POST", "/api/auth/token/", body={"username": username, "password": password}
    )
    client.close()
    if status != 200:
        raise RuntimeError(f"no token for {username}: {status} {data[:200]!r}")
    return str(json.loads(data)["token"])


def session_for(port: int, username: str, password: str) -> Client:
    """A client signed in through the login form, as a browser is."""
    client = Client(port)
    status, page, _ = client.request("GET", "/login/")
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or found is None:
        raise RuntimeError(f"login page: {status}")
    form = urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": found.group(1).decode()}
    )
    status, data, _ = client.request(
        "POST", "/login/", body=form, headers={"Origin": f"http://127.0.0.1:{port}"}
    )
    if status != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"login as {username} failed: {status} {data[:200]!r}")
    return client


def verdict_scale(port: int, token: str) -> list[dict[str, Any]]:
    """The desk's verdicts as GET /api/verdicts/ gives them (the fields of a native export's
    verdicts)."""
    client = Client(port, token=token)
    status, data, _ = client.request("GET", "/api/verdicts/")
    client.close()
    if status != 200:
        raise RuntimeError(f"GET /api/verdicts/: {status} {data[:200]!r}")
    return list(json.loads(data)["results"])


def repeat(request: tuple[str, str, Any]) -> Iterator[tuple[str, str, Any]]:
    while True:
        yield request


def floor(bench: Bench) -> None:
    """/healthz: the whole stack (socket, gunicorn, middleware) with no work of our own."""
    step("floor: GET /healthz")
    client = bench.client()
    requests = repeat(("GET", "/healthz", None))
    sample, memory = bench.measure(lambda: sequential(client, requests, limit=1000, seconds=10))
    client.close()
    bench.floor[1] = sample
    bench.record(Row("floor: GET /healthz", "1 client", sample, memory))
    for count in bench.args.readers:
        clients = [bench.client() for _ in range(count)]
        sample, memory = bench.measure(
            partial(
                concurrent,
                clients,
                get_loop(["/healthz"]),
                seconds=min(bench.args.reader_seconds, 5),
                limit_per_client=100_000,
            )
        )
        for client in clients:
            client.close()
        bench.floor[count] = sample
        bench.record(
            Row("floor: GET /healthz", f"{count} clients", sample, memory, "throughput", count)
        )


def smallest_api_read(bench: Bench, token: str) -> None:
    """/api/verdicts/ with a token: the least an API request of ours does (authenticate the
    token, read one small table, render JSON). Beside the floor, it shows what the framework
    and the database cost before any work of a workload's own."""
    step("smallest API read: GET /api/verdicts/")
    client = bench.client(token)
    requests = repeat(("GET", "/api/verdicts/", None))
    sample, memory = bench.measure(lambda: sequential(client, requests, limit=1000, seconds=10))
    client.close()
    bench.record(Row("GET /api/verdicts/ (token)", "1 client", sample, memory))


def creates(bench: Bench, token: str, payloads: Iterator[dict[str, object]]) -> None:
    count = bench.args.creates
    step(f"create {count} claims through the API, one after the other")
    client = bench.client(token)
    bodies = (("POST", "/api/claims/", body) for body in payloads)
    sample, memory = bench.measure(
        lambda: sequential(client, bodies, limit=count, seconds=bench.args.cap, expect=(201,))
    )
    client.close()
    bench.record(
        Row("POST /api/claims/", f"{count} creates", sample, memory, budgets=[budgets.CREATE])
    )


def queries_of(
    path: str, *, token: str | None = None, cookies: dict[str, str] | None = None
) -> int:
    """The queries one GET of `path` runs, in this process, after a first GET that warms
    whatever the application caches; the answer must be 200."""
    from django.db import connection
    from django.test import Client as InProcess
    from django.test.utils import CaptureQueriesContext

    client = InProcess(HTTP_HOST="127.0.0.1")
    for name, value in (cookies or {}).items():
        client.cookies[name] = value
    headers = {"Authorization": f"Token {token}"} if token else {}
    client.get(path, headers=headers)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} in process: {response.status_code}")
    return len(captured.captured_queries)


def reads(bench: Bench, token: str, cookies: dict[str, str], articles: dict[int, int]) -> None:
    """One article with its claims, read over and over: the API's annotations, then the HTML
    annotation page. `articles` maps a number of claims to the id of the article holding
    them."""
    step("count the queries of an article's API and page at each size, in process")
    endpoints = [
        (
            "GET /api/articles/{id}/annotations/",
            "/api/articles/{}/annotations/",
            budgets.API_ARTICLE,
        ),
        ("GET /articles/{id}/ (HTML)", "/articles/{}/", budgets.HTML_PAGE),
    ]
    counts: dict[str, dict[int, int]] = {}
    for name, pattern, _ in endpoints:
        api = pattern.startswith("/api/")
        counts[name] = {
            size: queries_of(
                pattern.format(pk),
                token=token if api else None,
                cookies=None if api else cookies,
            )
            for size, pk in articles.items()
        }
        print(f"  {name}: queries by claims {counts[name]}", flush=True)

    step("read one article with its claims: API, then the HTML page")
    api_client = bench.client(token)
    page_client = Client(bench.port)
    page_client.cookies.update(cookies)
    for size, pk in articles.items():
        limit = 200 if size <= 500 else 60
        for (name, pattern, budget), client in zip(
            endpoints, (api_client, page_client), strict=True
        ):
            path = pattern.format(pk)
            sample, memory = bench.measure(
                partial(
                    sequential,
                    client,
                    repeat(("GET", path, None)),
                    limit=limit,
                    seconds=bench.args.cap,
                )
            )
            by_size = counts[name]
            row_budgets: list[Budget] = []
            if size == budgets.ARTICLE_SIZE:
                row_budgets = [budget, budgets.SAME_QUERIES]
            growth = max(by_size.values()) - min(by_size.values())
            bench.record(
                Row(
                    name,
                    f"{size} claims",
                    sample,
                    memory,
                    budgets=row_budgets,
                    extra={"queries": by_size[size], "query_growth": growth},
                )
            )
    api_client.close()
    page_client.close()


def review(bench: Bench, tokens: list[str], pages: list[Client], queued: int) -> None:
    """Reviewers at once: the review queue's page, then "next" and a rejection of what it
    handed out, in a loop. Every claim a reviewer gets is rejected at once, so a claim handed
    to two reviewers shows in `double` (and as a failed decision)."""
    reviewers = len(tokens)
    step(f"review with {reviewers} concurrent reviewers, {queued} claims waiting")
    from bench.data import REJECTION

    if bench.available(pages[0], "/review/"):
        sample, memory = bench.measure(
            lambda: concurrent(
                pages, get_loop(["/review/"]), seconds=min(bench.args.cap, 10), limit_per_client=50
            )
        )
        bench.record(
            Row("GET /review/ (HTML)", f"{queued} queued", sample, memory, "latency", reviewers)
        )

    clients = [bench.client(token) for token in tokens]
    if not bench.available(clients[0], "/api/review-queue/next/", "POST", {}):
        return
    taken: dict[int, list[int]] = {index: [] for index in range(reviewers)}
    decisions = Sample()

    def take_and_decide(index: int, client: Client, sample: Sample) -> bool:
        latency, status, body = timed(client, "POST", "/api/review-queue/next/", body={})
        sample.add(latency, status, status in (200, 204))
        if status != 200:
            return False
        claim = json.loads(body)
        taken[index].append(claim["id"])
        latency, status, _ = timed(
            client,
            "POST",
            f"/api/claims/{claim['id']}/reject/",
            body={"version": claim["version"], "comment": REJECTION},
        )
        decisions.add(latency, status, status == 200)
        return True

    sample, memory = bench.measure(
        lambda: concurrent(
            clients, take_and_decide, seconds=min(bench.args.cap, 15), limit_per_client=60
        )
    )
    for client in clients:
        client.close()
    seen: dict[int, int] = {}
    for claims in taken.values():
        for claim_id in claims:
            seen[claim_id] = seen.get(claim_id, 0) + 1
    double = sum(1 for times in seen.values() if times > 1)
    bench.record(
        Row(
            "POST /api/review-queue/next/",
            f"{queued} queued",
            sample,
            memory,
            "latency",
            reviewers,
            budgets=[budgets.REVIEW_NEXT, budgets.NO_DOUBLE],
            extra={
                "double": double,
                "claims_taken": len(seen),
                "reject_median_ms": budgets.milliseconds(decisions.median),
                "reject_errors": decisions.errors,
            },
        )
    )
    if double:
        print(f"  !! {double} claims were handed to two reviewers", flush=True)


def export(bench: Bench, token: str, count: int) -> None:
    step(f"export {count} approved claims in each format")
    client = bench.client(token)
    if not bench.available(client, "/api/export/?format=unknown"):
        client.close()
        return
    repeats = 5 if count <= 1000 else 3 if count <= 10000 else 1
    peak = Memory()
    for fmt in ("native", "claimreview", "webannotation"):
        path = f"/api/export/?{urlencode({'format': fmt, 'status': 'approved'})}"
        sample, memory = bench.measure(
            partial(
                sequential,
                client,
                repeat(("GET", path, None)),
                limit=repeats,
                seconds=bench.args.cap * 2,
                sink=True,
            )
        )
        peak = Memory(
            total=max(peak.total, memory.total),
            largest_process=max(peak.largest_process, memory.largest_process),
            proportional=max(peak.proportional, memory.proportional),
            growth=max(peak.growth, memory.growth),
        )
        bench.record(
            Row(
                f"GET /api/export/ {fmt}",
                f"{count} claims",
                sample,
                memory,
                "time",
                budgets=[budgets.EXPORT] if count == budgets.EXPORT_SIZE else [],
            )
        )
    bench.export_memory[count] = peak
    client.close()


def readers(bench: Bench, token: str, claims: int) -> None:
    """Readers of the claims list, each going through pages and filters in turn. `claims`
    is the number of approved claims; the list also holds the others loaded before."""
    paths = [
        "/api/claims/",
        "/api/claims/?page=2",
        "/api/claims/?status=approved",
        "/api/claims/?status=submitted&page=3",
    ]
    for count in bench.args.readers:
        step(f"{count} concurrent readers of the claims list for {bench.args.reader_seconds:g} s")
        clients = [bench.client(token) for _ in range(count)]
        sample, memory = bench.measure(
            partial(
                concurrent,
                clients,
                get_loop(paths),
                seconds=bench.args.reader_seconds,
                limit_per_client=1_000_000,
            )
        )
        for client in clients:
            client.close()
        held = count == budgets.LIST_READERS and claims >= budgets.LIST_SIZE
        bench.record(
            Row(
                "GET /api/claims/ (list)",
                f"{claims}+ claims",
                sample,
                memory,
                "throughput",
                count,
                budgets=[budgets.LIST] if held else [],
            )
        )
