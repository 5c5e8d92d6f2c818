"""`make bench`: measure factcheck served as in production, over HTTP on 127.0.0.1.

Creates a PostgreSQL database (on DATABASE_URL's server), migrates it, starts gunicorn
(4 workers, DEBUG off), loads the data through the application's services and its native
import, runs the workloads described in bench/README.md, prints a table and writes
bench/results/latest.json (and latest.md). The server and the database are removed at the
end, also after an error or Ctrl-C.

    python bench/run.py            # full: 100,000 claims at the end
    python bench/run.py --quick    # smaller sizes, shorter runs
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import reanchor, report, workloads
from bench.report import step
from bench.server import (
    DEFAULT_SERVER_URL,
    REPO,
    MemorySampler,
    gunicorn,
    production_environment,
    throwaway_database,
)

if TYPE_CHECKING:
    from annotations.models import Article
    from bench.data import Cast, Loader

RESULTS = REPO / "bench" / "results"


def sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


FULL: dict[str, Any] = {
    "creates": 500,
    "article_sizes": [100, 500, 2000],
    "queue_sizes": [1000, 10000],
    "export_sizes": [1000, 10000, 100000],
    "readers": [4, 16],
    "reader_seconds": 15.0,
}
QUICK: dict[str, Any] = {
    "creates": 100,
    "article_sizes": [100, 500, 2000],
    "queue_sizes": [200, 1000],
    "export_sizes": [1000, 10000],
    "readers": [4, 16],
    "reader_seconds": 4.0,
}


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
    parser.add_argument(
        "--search-claims", type=int, help="only search and matching, at this many published claims"
    )
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)
    for name, value in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    # The longest any one workload may run, whatever its count of requests.
    args.cap = 20.0 if args.quick else 60.0
    return args


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

    from bench import data

    step("migrate and collect static files")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    step("users and the articles of the create workload")
    cast = data.make_cast(args.reviewers)
    create_article, create_spans = data.make_article("create", max(args.creates, 100))

    with gunicorn(env, workers=args.workers, log=RESULTS / "gunicorn.log") as (port, pid):
        step(f"gunicorn on 127.0.0.1:{port}, {args.workers} workers, pid {pid}")
        sampler = MemorySampler(pid)
        sampler.start()
        try:
            bench = workloads.Bench(args, port, sampler)
            loader = data.Loader(verdicts=workloads.verdict_scale(port, _token(port, data.EDITOR)))
            return _workloads(args, bench, loader, cast, create_article, create_spans, started)
        finally:
            sampler.stop()


def _token(port: int, username: str) -> str:
    from bench.data import PASSWORD

    return workloads.token_for(port, username, PASSWORD)


def _workloads(
    args: argparse.Namespace,
    bench: workloads.Bench,
    loader: Loader,
    cast: Cast,
    create_article: Article,
    create_spans: list[tuple[int, int]],
    started: float,
) -> dict[str, Any]:
    from annotations.workflow import Status
    from bench import data, search

    if args.search_claims:
        return _search_only(args, bench, loader, cast, started)

    step("load the articles read, through the native import")
    read_articles: dict[int, int] = {}
    for count in args.article_sizes:
        article, spans = data.make_article(f"read-{count}", max(count, 200))
        loader.claims_on(
            article=article,
            spans=spans,
            count=count,
            author=cast.editor,
            # What an annotation page shows: the author's drafts and claims at every stage.
            statuses=[Status.DRAFT, Status.CHANGES_REQUESTED, Status.REJECTED, Status.DRAFT],
            reviewer=cast.reviewers[0],
        )
        read_articles[count] = article.pk
    data.analyze()

    port = bench.port
    editor_token = _token(port, data.EDITOR)
    reviewer_tokens = [_token(port, user.username) for user in cast.reviewers]
    editor_page = workloads.session_for(port, data.EDITOR, data.PASSWORD)
    reviewer_pages = [
        workloads.session_for(port, user.username, data.PASSWORD) for user in cast.reviewers
    ]

    workloads.floor(bench)
    workloads.smallest_api_read(bench, editor_token)
    slugs = [str(verdict["slug"]) for verdict in loader.verdicts]
    workloads.creates(bench, editor_token, data.claim_payloads(create_article, create_spans, slugs))
    workloads.reads(bench, editor_token, dict(editor_page.cookies), read_articles)
    reanchor.workload(bench)
    reanchor.service_workload(bench, loader, cast)

    queued = 0
    for target in args.queue_sizes:
        step(f"load the review queue to {target} claims")
        loader.spread(
            seed=f"queue-{target}",
            count=target - queued,
            author=cast.editor,
            statuses=[Status.SUBMITTED],
        )
        queued = target
        data.analyze()
        workloads.review(bench, reviewer_tokens, reviewer_pages, target)

    exported = 0
    for position, target in enumerate(args.export_sizes):
        step(f"load {target - exported} approved claims (to {target})")
        loader.spread(
            seed=f"export-{target}",
            count=target - exported,
            author=cast.editor,
            statuses=[Status.APPROVED],
            reviewer=cast.reviewers[0],
        )
        exported = target
        data.analyze()
        workloads.export(bench, editor_token, target)
        if position > 0:
            workloads.readers(bench, editor_token, target)
    search.measure(bench, editor_token, exported)

    for client in [editor_page, *reviewer_pages]:
        client.close()
    return report.result(
        rows=bench.rows,
        floor=bench.floor,
        export_memory=bench.export_memory,
        overall=bench.sampler.overall,
        workers=args.workers,
        data_load={
            "claims": loader.claims,
            "import_seconds": round(loader.seconds, 1),
            "steps": loader.steps,
        },
        started=started,
        finished=time.monotonic(),
    )


def _search_only(
    args: argparse.Namespace,
    bench: workloads.Bench,
    loader: Loader,
    cast: Cast,
    started: float,
) -> dict[str, Any]:
    from annotations.workflow import Status
    from bench import data, search

    workloads.floor(bench)
    step(f"load {args.search_claims} approved claims")
    loader.spread(
        seed="search",
        count=args.search_claims,
        author=cast.editor,
        statuses=[Status.APPROVED],
        reviewer=cast.reviewers[0],
    )
    data.analyze()
    search.measure(bench, _token(bench.port, data.EDITOR), args.search_claims)
    return report.result(
        rows=bench.rows,
        floor=bench.floor,
        export_memory=bench.export_memory,
        overall=bench.sampler.overall,
        workers=args.workers,
        data_load={"claims": loader.claims, "import_seconds": round(loader.seconds, 1)},
        started=started,
        finished=time.monotonic(),
    )


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    # A TERM (a CI timeout) unwinds like Ctrl-C, so gunicorn stops and the database is dropped.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        outcome = run(args)
    except KeyboardInterrupt:
        print("interrupted: gunicorn stopped, database dropped", file=sys.stderr)
        return 130
    report.write(args.output, outcome)
    report.show(outcome, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
