"""What a run measures (a Row per workload and size) and the budgets it is held to.

The budgets are the figures a user of the desk notices, on the benchmark's machine of two
cores; bench/README.md gives them as a table. Each applies at one size of its workload, named
beside it here, and a row passes only when every budget it carries holds and no request of
it failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bench.loadgen import Sample
from bench.server import Memory

_UNITS = {
    "median_ms": "ms median",
    "rps": "req/s",
    "time_s": "s",
    "peak_pss_mib": "MiB PSS",
}


@dataclass(frozen=True)
class Budget:
    metric: str  # a key of Row.figures()
    limit: float
    at_most: bool = True
    text: str = ""  # how the table names it, when the metric and limit do not say it well

    def describe(self) -> str:
        if self.text:
            return self.text
        unit = _UNITS.get(self.metric, self.metric)
        return f"{'<=' if self.at_most else '>='} {self.limit:g} {unit}"

    def holds(self, value: float | None) -> bool | None:
        if value is None:
            return None
        return value <= self.limit if self.at_most else value >= self.limit


def verdict(budgets: list[Budget], figures: dict[str, Any], errors: int = 0) -> str:
    """pass, MISS, or n/a when a figure a budget needs was not measured."""
    results = [budget.holds(figures.get(budget.metric)) for budget in budgets]
    if errors or False in results:
        return "MISS"
    if None in results:
        return "n/a"
    return "pass"


# --- The budgets, and where each applies ----------------------------------------------------

CREATE = Budget("median_ms", 6)
API_ARTICLE = Budget("median_ms", 20)
HTML_PAGE = Budget("median_ms", 25)
# The article sizes whose query counts are compared: the count must not move with them.
SAME_QUERIES = Budget("query_growth", 0, text="same queries at every size")
ARTICLE_SIZE = 500

LIST = Budget("rps", 150, at_most=False)
LIST_READERS = 4
LIST_SIZE = 100_000

REVIEW_NEXT = Budget("median_ms", 25)
NO_DOUBLE = Budget("double", 0, text="0 double assignments")

EXPORT = Budget("time_s", 0.5)
EXPORT_SIZE = 10_000
# Memory flat: what a server process grows by while it exports the most claims, against
# what it grows by exporting the fewest. A worker that held an export in memory would grow
# with the number of claims exported; one that streams it grows by a chunk's worth.
EXPORT_MEMORY = Budget("growth_mib", 20, text="flat: grew <= smallest size's + 20 MiB")

SERVER_PSS = Budget("peak_pss_mib", 300)

# Re-anchoring every claim of a long article on its new revision (bench/reanchor.py).
REANCHOR = Budget("time_s", 2)
REANCHOR_CLAIMS = 2000
REANCHOR_SIZE = 200_000


@dataclass
class Row:
    workload: str
    size: str
    sample: Sample
    memory: Memory
    kind: str = "latency"  # latency | throughput | time
    concurrency: int = 1
    budgets: list[Budget] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def figures(self, floor: dict[int, Sample]) -> dict[str, Any]:
        s = self.sample
        figures: dict[str, Any] = {
            "workload": self.workload,
            "size": self.size,
            "concurrency": self.concurrency,
            "requests": s.count,
            "errors": s.errors,
            "median_ms": milliseconds(s.median),
            "p95_ms": milliseconds(s.percentile(0.95)),
            "p99_ms": milliseconds(s.percentile(0.99)),
            "rps": None if s.throughput is None else round(s.throughput, 1),
            **memory_figures(self.memory),
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
        if self.budgets:
            figures["budget"] = ", ".join(budget.describe() for budget in self.budgets)
            figures["result"] = verdict(self.budgets, figures, s.errors)
        return figures


def milliseconds(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


def memory_figures(memory: Memory) -> dict[str, float]:
    return {
        "peak_rss_mib": round(memory.total, 1),
        "largest_process_mib": round(memory.largest_process, 1),
        "peak_pss_mib": round(memory.proportional, 1),
        "grew_mib": round(memory.growth, 1),
    }


def summary_row(
    workload: str, size: str, figures: dict[str, Any], budgets: list[Budget]
) -> dict[str, Any]:
    """A row of figures that no single workload measured: the server's memory over the run,
    or over a set of workloads."""
    row: dict[str, Any] = {"workload": workload, "size": size, **figures}
    if budgets:
        row["budget"] = ", ".join(budget.describe() for budget in budgets)
        row["result"] = verdict(budgets, row)
    return row
