"""`make bench`: measure factcheck served as in production, over HTTP on 127.0.0.1.

Creates a PostgreSQL database (on DATABASE_URL's server), migrates it, loads the data, starts
gunicorn (4 workers, DEBUG off), runs the workloads described in bench/README.md, prints a
table and writes bench/results/latest.json (and latest.md). The server and the database are
removed at the end, also after an error or Ctrl-C.

    python bench/run.py            # full: about 5 minutes, 100,000 claims at the end
    python bench/run.py --quick    # a minute: smaller sizes, shorter runs
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadgen import Client, Sample, concurrent, get_loop, sequential, timed
from bench.server import (
    DEFAULT_SERVER_URL,
    REPO,
    Memory,
    MemorySampler,
    gunicorn,
    production_environment,
    throwaway_database,
)

RESULTS = REPO / "bench" / "results"
MIB = "MiB"


# --- What is measured, and against which budget ------------------------------------------------


@dataclass(frozen=True)
class Budget:
    metric: str  # a key of Row.figures()
    limit: float
    at_most: bool = True

    def describe(self) -> str:
        unit = {"median_ms": "ms median", "rps": "req/s", "time_s": "s", "double": "double"}
        return (
            f"{'<=' if self.at_most else '>='} {self.limit:g} {unit.get(self.metric, self.metric)}"
        )

    def holds(self, value: float | None) -> bool | None:
        if value is None:
            return None
        return value <= self.limit if self.at_most else value >= self.limit


@dataclass
class Row:
    workload: str
    size: str
    sample: Sample
    memory: Memory
    kind: str = "latency"  # latency | throughput | time
    concurrency: int = 1
    budget: Budget | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def figures(self, floor: dict[int, Sample]) -> dict[str, Any]:
        s = self.sample
        ms = lambda value: None if value is None else round(value * 1000, 2)  # noqa: E731
        figures: dict[str, Any] = {
            "workload": self.workload,
            "size": self.size,
            "concurrency": self.concurrency,
            "requests": s.count,
            "errors": s.errors,
            "median_ms": ms(s.median),
            "p95_ms": ms(s.percentile(0.95)),
            "p99_ms": ms(s.percentile(0.99)),
            "rps": None if s.throughput is None else round(s.throughput, 1),
            "peak_rss_mib": round(self.memory.total, 1),
            "largest_process_mib": round(self.memory.largest_process, 1),
            "peak_pss_mib": round(self.memory.proportional, 1),
            "notes": s.notes,
            **self.extra,
        }
        if self.kind == "time":
            figures["time_s"] = None if s.median is None else round(s.median, 3)
        base = floor.get(self.concurrency) or floor.get(1)
        if base is not None and base.median and s.median:
            if self.kind == "throughput" and base.throughput and s.throughput:
                figures["floor_ratio"] = round(s.throughput / base.throughput, 3)
            else:
                figures["floor_ratio"] = round(s.median / base.median, 1)
        if self.budget is not None:
            figures["budget"] = self.budget.describe()
            verdict = self.budget.holds(figures.get(self.budget.metric))
            if s.errors and self.budget.metric != "double":
                verdict = False
            figures["result"] = {True: "pass", False: "MISS", None: "n/a"}[verdict]
        return figures


# --- Options ----------------------------------------------------------------------------------


def sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, short runs")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--creates", type=int, help="claims created through the API (500)")
    parser.add_argument(
        "--article-sizes", type=sizes, help="claims per article read (100,500,2000)"
    )
    parser.add_argument("--queue-sizes", type=sizes, help="claims waiting for review (1000,10000)")
    parser.add_argument("--export-sizes", type=sizes, help="claims exported (1000,10000,100000)")
    parser.add_argument("--readers", type=sizes, help="concurrent readers of the list (4,16)")
    parser.add_argument("--reader-seconds", type=float, help="seconds per readers run (15)")
    parser.add_argument("--reviewers", type=int, default=8, help="concurrent reviewers (8)")
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)
    full = {
        "creates": 500,
        "article_sizes": [100, 500, 2000],
        "queue_sizes": [1000, 10000],
        "export_sizes": [1000, 10000, 100000],
        "readers": [4, 16],
        "reader_seconds": 15.0,
    }
    quick = {
        "creates": 100,
        "article_sizes": [100, 500, 2000],
        "queue_sizes": [200, 1000],
        "export_sizes": [1000, 10000],
        "readers": [4, 16],
        "reader_seconds": 4.0,
    }
    for name, value in (quick if args.quick else full).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.cap = 20.0 if args.quick else 60.0
    return args


# --- The run ----------------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace, port: int, sampler: MemorySampler) -> None:
        self.args = args
        self.port = port
        self.sampler = sampler
        self.rows: list[Row] = []
        self.floor: dict[int, Sample] = {}

    def client(self, token: str | None = None) -> Client:
        return Client(self.port, token=token)

    def record(self, row: Row) -> Row:
        self.rows.append(row)
        figures = row.figures(self.floor)
        print("  " + format_line(figures), flush=True)
        return row

    def measure(self, run: Callable[[], Sample]) -> tuple[Sample, Memory]:
        self.sampler.window()
        sample = run()
        return sample, self.sampler.window()

    def available(self, client: Client, path: str, method: str = "GET", body: Any = None) -> bool:
        """False (and a note) when an endpoint is not there yet: the branches land in turn."""
        status, _, _ = client.request(method, path, body=body)
        if status == 404:
            print(f"  {method} {path}: 404, skipped (endpoint not merged yet?)", flush=True)
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


def run(args: argparse.Namespace) -> dict[str, Any]:
    server_url = os.environ.get("DATABASE_URL") or DEFAULT_SERVER_URL
    name = f"factcheck_bench_{os.getpid()}"
    started = time.monotonic()
    with throwaway_database(server_url, name) as db_url:
        env = production_environment(db_url)
        os.environ.update(env)
        try:
            return _run_with_database(args, env, started)
        finally:
            from django.db import connections

            connections.close_all()


def _run_with_database(
    args: argparse.Namespace, env: dict[str, str], started: float
) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    from annotations.workflow import Status
    from bench import data

    step("migrate and collect static files")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    step("load users and articles")
    cast = data.make_cast(args.reviewers)
    read_articles = {}
    for count in args.article_sizes:
        article, spans = data.make_article(f"read-{count}", max(count, 200))
        data.bulk_claims(
            article=article,
            spans=spans,
            count=count,
            author=cast.editor,
            # What an annotation page shows: the author's drafts and claims at every stage.
            statuses=[Status.DRAFT, Status.CHANGES_REQUESTED, Status.REJECTED, Status.DRAFT],
            reviewer=cast.reviewers[0],
        )
        read_articles[count] = article
    create_article, create_spans = data.make_article("create", max(args.creates, 100))
    data.analyze()

    log = RESULTS / "gunicorn.log"
    with gunicorn(env, workers=args.workers, log=log) as (port, pid):
        sampler = MemorySampler(pid)
        sampler.start()
        try:
            bench = Bench(args, port, sampler)
            editor_token = token_for(port, data.EDITOR, data.PASSWORD)
            reviewer_tokens = [
                token_for(port, user.username, data.PASSWORD) for user in cast.reviewers
            ]
            step(f"gunicorn on 127.0.0.1:{port}, {args.workers} workers, pid {pid}")
            floor(bench)
            smallest_api_read(bench, editor_token)
            creates(bench, editor_token, create_article, create_spans)
            reads(bench, editor_token, read_articles)
            queued = 0
            for target in args.queue_sizes:
                step(f"load the review queue to {target} claims")
                data.spread_claims(
                    seed=f"queue-{target}",
                    count=target - queued,
                    per_article=2000,
                    author=cast.editor,
                    statuses=[Status.SUBMITTED],
                )
                queued = target
                data.analyze()
                review(bench, reviewer_tokens, cast, target)
            exported = 0
            for position, target in enumerate(args.export_sizes):
                step(f"load {target - exported} approved claims (to {target})")
                data.spread_claims(
                    seed=f"export-{target}",
                    count=target - exported,
                    per_article=2000,
                    author=cast.editor,
                    statuses=[Status.APPROVED],
                    reviewer=cast.reviewers[0],
                )
                exported = target
                data.analyze()
                export(bench, editor_token, target)
                if position > 0:
                    readers(bench, editor_token, target)
        finally:
            sampler.stop()
    return report(bench, args, sampler, started)


def step(text: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {text}", flush=True)


# --- Workloads --------------------------------------------------------------------------------


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
            lambda clients=clients: concurrent(
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
    token, read one small table, render JSON, two queries). Beside the floor, it shows what
    the framework and the database cost before any work of a workload's own."""
    step("smallest API read: GET /api/verdicts/")
    client = bench.client(token)
    requests = repeat(("GET", "/api/verdicts/", None))
    sample, memory = bench.measure(lambda: sequential(client, requests, limit=1000, seconds=10))
    client.close()
    bench.record(Row("GET /api/verdicts/ (token, 2 queries)", "1 client", sample, memory))


def creates(bench: Bench, token: str, article: Any, spans: list[tuple[int, int]]) -> None:
    from bench import data

    count = bench.args.creates
    step(f"create {count} claims through the API, one after the other")
    client = bench.client(token)
    bodies = (("POST", "/api/claims/", body) for body in data.claim_payloads(article, spans))
    sample, memory = bench.measure(
        lambda: sequential(client, bodies, limit=count, seconds=bench.args.cap, expect=(201,))
    )
    client.close()
    bench.record(
        Row("POST /api/claims/", f"{count} creates", sample, memory, budget=Budget("median_ms", 6))
    )


def reads(bench: Bench, token: str, articles: dict[int, Any]) -> None:
    step("read one article with its claims: API, then the HTML page")
    from bench import data

    api = bench.client(token)
    page = session_for(bench.port, data.EDITOR, data.PASSWORD)
    for count, article in articles.items():
        limit = 200 if count <= 500 else 60
        path = f"/api/articles/{article.pk}/annotations/"
        if bench.available(api, path):
            sample, memory = bench.measure(
                lambda path=path, limit=limit: sequential(
                    api, repeat(("GET", path, None)), limit=limit, seconds=bench.args.cap
                )
            )
            bench.record(
                Row(
                    "GET /api/articles/{id}/annotations/",
                    f"{count} claims",
                    sample,
                    memory,
                    budget=Budget("median_ms", 15) if count == 500 else None,
                )
            )
        path = f"/articles/{article.pk}/"
        if bench.available(page, path):
            sample, memory = bench.measure(
                lambda path=path, limit=limit: sequential(
                    page, repeat(("GET", path, None)), limit=limit, seconds=bench.args.cap
                )
            )
            bench.record(
                Row(
                    "GET /articles/{id}/ (HTML)",
                    f"{count} claims",
                    sample,
                    memory,
                    budget=Budget("median_ms", 40) if count == 500 else None,
                )
            )
    api.close()
    page.close()


def review(bench: Bench, tokens: list[str], cast: Any, queued: int) -> None:
    from bench import data

    reviewers = len(tokens)
    step(f"review with {reviewers} concurrent reviewers, {queued} claims waiting")
    pages = [session_for(bench.port, user.username, data.PASSWORD) for user in cast.reviewers]
    if bench.available(pages[0], "/review/"):
        sample, memory = bench.measure(
            lambda: concurrent(
                pages, get_loop(["/review/"]), seconds=min(bench.args.cap, 10), limit_per_client=50
            )
        )
        bench.record(
            Row("GET /review/ (HTML)", f"{queued} queued", sample, memory, "latency", reviewers)
        )
    for client in pages:
        client.close()

    clients = [bench.client(token) for token in tokens]
    if not bench.available(clients[0], "/api/review-queue/next/", "POST", {}):
        return
    taken: dict[int, set[int]] = {index: set() for index in range(reviewers)}
    decisions = Sample()

    def take_and_decide(index: int, client: Client, sample: Sample) -> bool:
        latency, status, body = timed(client, "POST", "/api/review-queue/next/", body={})
        sample.add(latency, status, status in (200, 204))
        if status != 200:
            return False
        claim = json.loads(body)
        taken[index].add(claim["id"])
        latency, status, _ = timed(
            client,
            "POST",
            f"/api/claims/{claim['id']}/reject/",
            body={"version": claim["version"], "comment": "The figure is not in the source."},
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
            budget=Budget("median_ms", 20),
            extra={
                "double": double,
                "claims_taken": len(seen),
                "reject_median_ms": None
                if decisions.median is None
                else round(decisions.median * 1000, 2),
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
    for fmt in ("native", "claimreview", "webannotation"):
        path = f"/api/export/?{urlencode({'format': fmt, 'status': 'approved'})}"
        sample, memory = bench.measure(
            lambda path=path: sequential(
                client,
                repeat(("GET", path, None)),
                limit=repeats,
                seconds=bench.args.cap * 2,
                sink=True,
            )
        )
        bench.record(
            Row(
                f"GET /api/export/ {fmt}",
                f"{count} claims",
                sample,
                memory,
                "time",
                budget=Budget("time_s", 0.5) if count == 10000 else None,
            )
        )
    client.close()


def readers(bench: Bench, token: str, claims: int) -> None:
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
            lambda clients=clients: concurrent(
                clients,
                get_loop(paths),
                seconds=bench.args.reader_seconds,
                limit_per_client=1_000_000,
            )
        )
        for client in clients:
            client.close()
        bench.record(
            Row(
                "GET /api/claims/ (list)",
                f"{claims}+ claims",
                sample,
                memory,
                "throughput",
                count,
                budget=Budget("rps", 200, at_most=False) if count == 4 else None,
            )
        )


def repeat(request: tuple[str, str, Any]) -> Iterator[tuple[str, str, Any]]:
    while True:
        yield request


# --- Report -----------------------------------------------------------------------------------

COLUMNS = [
    ("workload", "workload", 36),
    ("size", "size", 16),
    ("concurrency", "conc", 4),
    ("requests", "n", 5),
    ("median_ms", "median ms", 9),
    ("p95_ms", "p95 ms", 8),
    ("p99_ms", "p99 ms", 8),
    ("rps", "req/s", 7),
    ("floor_ratio", "x floor", 8),
    ("peak_rss_mib", "RSS MiB", 7),
    ("largest_process_mib", "max proc", 8),
    ("peak_pss_mib", "PSS MiB", 7),
    ("budget", "budget", 16),
    ("result", "", 4),
]


def cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}" if value < 100 else f"{value:.0f}"
    return str(value)


def format_line(figures: dict[str, Any]) -> str:
    parts = []
    for key, _, width in COLUMNS:
        text = cell(figures.get(key)) if key in figures or key == "result" else ""
        parts.append(
            text.ljust(width) if key in ("workload", "size", "budget") else text.rjust(width)
        )
    extras = []
    if figures.get("errors"):
        extras.append(f"{figures['errors']} errors")
    if "double" in figures:
        extras.append(f"double assignments: {figures['double']}")
    return " ".join(parts) + ("  (" + ", ".join(extras) + ")" if extras else "")


def markdown(rows: list[dict[str, Any]]) -> str:
    head = "| " + " | ".join(title or "result" for _, title, _ in COLUMNS) + " |"
    rule = "|" + "|".join("---" for _ in COLUMNS) + "|"
    body = ["| " + " | ".join(cell(row.get(key)) for key, _, _ in COLUMNS) + " |" for row in rows]
    return "\n".join([head, rule, *body])


def machine() -> dict[str, Any]:
    import psutil

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def report(
    bench: Bench, args: argparse.Namespace, sampler: MemorySampler, started: float
) -> dict[str, Any]:
    rows = [row.figures(bench.floor) for row in bench.rows]
    overall = sampler.overall
    rows.append(
        {
            "workload": f"server peak RSS, {args.workers} workers",
            "size": "whole run",
            "peak_rss_mib": round(overall.total, 1),
            "largest_process_mib": round(overall.largest_process, 1),
            "peak_pss_mib": round(overall.proportional, 1),
            "budget": "<= 400 MiB",
            "result": "pass" if overall.total <= 400 else "MISS",
        }
    )
    rows.append(
        {
            "workload": f"server peak PSS, {args.workers} workers",
            "size": "whole run",
            "peak_pss_mib": round(overall.proportional, 1),
            "budget": "<= 400 MiB",
            "result": "pass" if overall.proportional <= 400 else "MISS",
        }
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python", "bench/run.py", *sys.argv[1:]]),
        "commit": commit,
        "machine": machine(),
        "workers": args.workers,
        "duration_s": round(time.monotonic() - started, 1),
        # Other work on the machine shows here: the figures mean little when it is high.
        "load_average_at_end": [round(value, 2) for value in os.getloadavg()],
        "rows": rows,
    }


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    # A TERM (a CI timeout) unwinds like Ctrl-C, so gunicorn stops and the database is dropped.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        result = run(args)
    except KeyboardInterrupt:
        print("interrupted: gunicorn stopped, database dropped", file=sys.stderr)
        return 130
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    table = markdown(result["rows"])
    args.output.with_suffix(".md").write_text(table + "\n")
    print()
    print(
        f"{result['date']}  commit {result['commit']}  {result['machine']['cpus']} CPUs  "
        f"{result['duration_s']} s  load average {result['load_average_at_end']}"
    )
    print(
        " ".join(
            title.ljust(w) if k in ("workload", "size", "budget") else title.rjust(w)
            for k, title, w in COLUMNS
        )
    )
    for row in result["rows"]:
        print(format_line(row))
    misses = [row for row in result["rows"] if row.get("result") == "MISS"]
    print(f"\n{len(misses)} budget(s) missed. Written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
