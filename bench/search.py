"""Search and "checked before?" at the desk's size: run after the published claims are loaded
(the export workloads load them, up to 100,000).

- GET /api/claims/?search=...: one client, queries from one common word to a whole claim.
- GET /api/claims/checked-before/?text=...: one client, sentences written as the articles'
  are, some repeating a published claim word for word, most with another number.
- Matching a new article of 2,000 sentences against every published claim: the matching
  task's work (services.matching.article_match_known_claims), timed in this process, which
  runs it as the worker would.

`python bench/run.py --search-claims N` loads N published claims and runs only these.
"""

from __future__ import annotations

import random
import time
from functools import partial
from itertools import cycle
from urllib.parse import urlencode

from bench import data
from bench.budgets import Budget, Row
from bench.loadgen import Sample, sequential
from bench.report import step

SEARCH = Budget("p95_ms", 50, text="p95 <= 50 ms")
CHECKED_BEFORE = Budget("p95_ms", 50, text="p95 <= 50 ms")
MATCHING = Budget("time_s", 10)
# The number of published claims the budgets apply at.
SIZE = 100_000
SENTENCES = 2000

# What a desk searches for: a few words of a claim. The generator's small vocabulary makes
# each of these match between a few dozen and a few thousand of 100,000 claims.
QUERIES = [
    "unemployment rural 2010",
    "crime rose nationwide",
    "hospital waiting times doubled 2015",
    "emissions doubled in the capital",
    "rents halved among young people since 2010",
    "the deficit fell by 12 percent in the capital since 2019",
    "в регионах 2020",
    "crime stayed flat among young people",
]
# Single words of that vocabulary, each in a sixth of the claims or more (or, for the
# rationale's and source's words, in every one): the worst case, measured, not budgeted.
COMMON = ["unemployment", "rents", "percent", "statistics"]


def checked_before_texts(count: int) -> list[str]:
    """Sentences as the benchmark's articles have them (bench/data.py), from a seed of their
    own: the generator's few words make every one close to thousands of published claims."""
    rng = random.Random("checked-before")
    return [data.claim_parts(data.sentence(rng, number, "cb"))[1] for number in range(count)]


def measure(bench: object, token: str, published: int) -> None:
    """The three workloads, `published` being the number of published claims."""
    from bench.workloads import Bench

    assert isinstance(bench, Bench)
    held = published >= SIZE
    step(f"search the claims, {published} published")
    client = bench.client(token)
    paths = cycle(f"/api/claims/?{urlencode({'search': query})}" for query in QUERIES)
    sample, memory = bench.measure(
        partial(
            sequential,
            client,
            (("GET", path, None) for path in paths),
            limit=300,
            seconds=bench.args.cap,
        )
    )
    bench.record(
        Row(
            "GET /api/claims/?search=",
            f"{published} published",
            sample,
            memory,
            budgets=[SEARCH] if held else [],
        )
    )
    common = cycle(f"/api/claims/?{urlencode({'search': word})}" for word in COMMON)
    sample, memory = bench.measure(
        partial(
            sequential,
            client,
            (("GET", path, None) for path in common),
            limit=40,
            seconds=bench.args.cap,
        )
    )
    bench.record(
        Row("GET /api/claims/?search= (one common word)", f"{published} published", sample, memory)
    )

    step(f"checked before?, {published} published")
    texts = cycle(checked_before_texts(100))
    sample, memory = bench.measure(
        partial(
            sequential,
            client,
            (
                ("GET", f"/api/claims/checked-before/?{urlencode({'text': text})}", None)
                for text in texts
            ),
            limit=300,
            seconds=bench.args.cap,
        )
    )
    client.close()
    bench.record(
        Row(
            "GET /api/claims/checked-before/",
            f"{published} published",
            sample,
            memory,
            budgets=[CHECKED_BEFORE] if held else [],
        )
    )

    step(f"match a {SENTENCES}-sentence article against {published} published claims")
    from annotations.services.matching import article_match_known_claims

    article, _ = data.make_article(f"match-{published}", SENTENCES)
    started = time.perf_counter()
    found = article_match_known_claims(article_id=article.pk)
    timing = Sample()
    timing.add(time.perf_counter() - started, 200, True)
    timing.elapsed = timing.latencies[0]
    bench.record(
        Row(
            "matching task: 2,000 sentences",
            f"{published} published",
            timing,
            bench.sampler.window(),
            "time",
            budgets=[MATCHING] if held else [],
            extra={"matches": found},
        )
    )
