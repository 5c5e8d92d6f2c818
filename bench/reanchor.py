"""Re-anchoring: the claims of a long article placed on its next revision, in process.

Re-anchoring runs in the application's process when a revision arrives, not behind a
request of its own, so it is timed by calling annotations.reanchoring.reanchor directly:
2,000 claims on an article of 200 KB, after a revision that does what a desk sees in a day
(a correction note at the top, figures corrected inside quotes, sentences deleted, a
paragraph moved, typos fixed, spaces collapsed). The text has what the desk's articles
have: curly quotes, Cyrillic and French words, emoji and ZWJ sequences. `make bench` also
times the whole edit as an admin makes it (service_workload): the revision recorded, every
claim placed and its outcome stored, changed verdicts sent back, on the benchmark's database.

    python bench/reanchor.py        # this workload alone, without a server or a database
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotations.anchoring import Span, span_in
from annotations.reanchoring import Outcome, reanchor
from bench import budgets
from bench.budgets import Row
from bench.loadgen import Sample
from bench.report import step
from bench.server import Memory

if TYPE_CHECKING:
    from bench.data import Cast, Loader
    from bench.workloads import Bench

_WHO = ["The minister", "Мэр Москвы", "La ministre", "A spokesperson", "The governor", "Le maire"]
_WHAT = ["unemployment", "inflation", "le chômage", "рождаемость", "rents", "crime", "exports"]
_HOW = ["fell", "rose", "a baissé", "выросла", "doubled", "dropped"]
_PLACES = ["in the capital", "à Lyon", "в регионе", "nationwide", "in rural areas"]
_SAYS = ["according to the report", "selon l'Insee", "по данным Росстата", "officials said"]
_EMOJI = ["📈", "📉", "🇫🇷", "🇺🇦", "👩\u200d💻", "👨\u200d👩\u200d👧"]
REPEATS = 5


_SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "на", "ро", "ла", "че", "é", "ou"]


def _name(rng: random.Random) -> str:
    """A made-up place name, so that no two claims read almost alike, as in real prose."""
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def _sentence(rng: random.Random, number: int) -> tuple[str, str]:
    """A sentence and the claim in it (the words in curly quotes)."""
    claim = (
        f"{rng.choice(_WHAT)} in {_name(rng)} and {_name(rng)} {rng.choice(_HOW)} by "
        f"{rng.randint(2, 60)} percent {rng.choice(_PLACES)} since {rng.randint(2001, 2024)}"
    )
    source = rng.choice(_SAYS) if number % 4 == 0 else f"item {number}"
    return f"{rng.choice(_WHO)} said “{claim}” {rng.choice(_EMOJI)} ({source}).", claim


def article(claims: int, size: int, seed: str = "reanchor") -> tuple[str, list[Span]]:
    """A body of at least `size` characters in paragraphs of four sentences, and a span on
    the claim of each of its first `claims` sentences."""
    rng = random.Random(seed)
    paragraphs: list[list[str]] = []
    quoted: list[tuple[int, int, int]] = []  # paragraph, sentence, claim
    length = number = 0
    while length < size or number < claims:
        if not paragraphs or len(paragraphs[-1]) == 4:
            paragraphs.append([])
        sentence, claim = _sentence(rng, number)
        paragraphs[-1].append(sentence)
        quoted.append((len(paragraphs) - 1, len(paragraphs[-1]) - 1, len(claim)))
        length += len(sentence) + 1
        number += 1
    body = "\n\n".join(" ".join(sentences) for sentences in paragraphs)
    spans = []
    position = 0
    for sentence in (s for sentences in paragraphs for s in sentences):
        start = body.index(sentence, position)
        claim_start = start + sentence.index("“") + 1
        claim_end = start + sentence.index("”")
        if len(spans) < claims:
            spans.append(span_in(body, claim_start, claim_end))
        position = start + len(sentence)
    return body, spans


def revision(body: str, seed: str = "revision") -> str:
    """The next revision of `body`: what a day of corrections does to an article."""
    rng = random.Random(seed)
    paragraphs = body.split("\n\n")
    note = "Correction, 6 March: this article has been updated to give the right figures."
    for index in rng.sample(range(len(paragraphs)), 10):  # a figure corrected inside a quote
        paragraphs[index] = paragraphs[index].replace(" percent", " per cent", 1)
    for index in rng.sample(range(len(paragraphs)), 3):  # a sentence deleted
        sentences = paragraphs[index].split(". ")
        paragraphs[index] = ". ".join(sentences[1:])
    for index in rng.sample(range(len(paragraphs)), 10):  # a typo fixed outside the quotes
        paragraphs[index] = paragraphs[index].replace("said “", "said: “", 1)
    for index in rng.sample(range(len(paragraphs)), 5):  # spaces collapsed
        paragraphs[index] = paragraphs[index].replace(". ", ".  ", 1)
    moved = paragraphs.pop(len(paragraphs) // 3)  # a paragraph moved to the end
    return "\n\n".join([note, *paragraphs, moved])


def measure(claims: int, size: int, repeats: int = REPEATS) -> tuple[Sample, Counter[str]]:
    old, anchors = article(claims, size)
    new = revision(old)
    sample = Sample()
    outcomes: Counter[str] = Counter()
    for _ in range(repeats):
        started = time.perf_counter()
        placements = reanchor(old, new, anchors)
        sample.add(time.perf_counter() - started, 200, ok=len(placements) == len(anchors))
        outcomes = Counter(str(placement.outcome) for placement in placements)
    sample.notes.append(
        ", ".join(f"{outcomes[outcome]} {outcome}" for outcome in Outcome.values)
        + f"; {len(old) // 1000} KB"
    )
    return sample, outcomes


def workload(bench: Bench) -> Row:
    """The row of `make bench`."""

    claims, size = budgets.REANCHOR_CLAIMS, budgets.REANCHOR_SIZE
    step(f"re-anchor {claims} claims after an edit of a {size // 1000} KB article")
    sample, _ = measure(claims, size)
    row = Row(
        "reanchor() in process",
        f"{claims} claims, {size // 1000} KB",
        sample,
        Memory(),  # not the server's: re-anchoring runs in this process
        "time",
        budgets=[budgets.REANCHOR],
    )
    return bench.record(row)


def service_workload(
    bench: Bench,
    loader: Loader,
    cast: Cast,
    claims: int = budgets.REANCHOR_CLAIMS,
    size: int = budgets.REANCHOR_SIZE,
) -> Row:
    """The same edit as a desk makes it: an admin saves the new text of an article that
    carries 2,000 claims (services.article_edit_text), which records the revision,
    re-anchors every claim, stores each outcome and sends changed verdicts back to review,
    in one transaction on the benchmark's database. Once: it changes the article."""
    from annotations import services
    from annotations.roles import Role
    from annotations.services.revisions import article_edit_text
    from annotations.workflow import Status
    from bench.data import PASSWORD

    step(f"an admin edits an article of {size // 1000} KB carrying {claims} claims")
    body, anchors = article(claims, size, seed="reanchor-service")
    article_row = services.article_import(
        title="Re-anchoring benchmark — «правка» ✏️",
        body=body,
        source_url="https://news.example.org/bench/reanchor-service",
        publisher="Example Gazette",
        language="en",
    ).article
    loader.claims_on(
        article=article_row,
        spans=[(anchor.start, anchor.end) for anchor in anchors[:claims]],
        count=claims,
        author=cast.editor,
        # Published claims are the ones an edit can send back to review.
        statuses=[Status.APPROVED, Status.DRAFT, Status.SUBMITTED, Status.APPROVED],
        reviewer=cast.reviewers[0],
    )
    admin, _ = services.user_create_or_update(
        username="bench-admin", password=PASSWORD, role=Role.ADMIN, check_password=False
    )
    sample = Sample()
    started = time.perf_counter()
    outcome = article_edit_text(article_id=article_row.pk, body=revision(body), actor=admin)
    sample.add(time.perf_counter() - started, 200, ok=outcome.revision is not None)
    row = Row(
        "article_edit_text() in process",
        f"{claims} claims, {size // 1000} KB",
        sample,
        Memory(),  # not the server's: the edit runs in this process
        "time",
        budgets=[budgets.REANCHOR],
    )
    return bench.record(row)


def main() -> int:
    sample, _ = measure(budgets.REANCHOR_CLAIMS, budgets.REANCHOR_SIZE)
    print(
        f"reanchor(): {budgets.REANCHOR_CLAIMS} claims, median {sample.median:.3f} s, "
        f"worst {max(sample.latencies):.3f} s over {sample.count} runs ({sample.notes[0]})"
    )
    return 0 if budgets.REANCHOR.holds(sample.median) else 1


if __name__ == "__main__":
    sys.exit(main())
