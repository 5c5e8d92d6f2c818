"""The run's report: a line per row as it is measured, the table at the end (text and
markdown), and the JSON written to bench/results/."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.budgets import EXPORT_MEMORY, SERVER_PSS, Row, memory_figures, summary_row
from bench.loadgen import Sample
from bench.server import REPO, Memory

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
    ("queries", "queries", 7),
    ("peak_rss_mib", "RSS MiB", 7),
    ("largest_process_mib", "max proc", 8),
    ("grew_mib", "grew MiB", 8),
    ("peak_pss_mib", "PSS MiB", 7),
    ("budget", "budget", 44),
    ("result", "", 4),
]
_LEFT = ("workload", "size", "budget")


def step(text: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {text}", flush=True)


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
        parts.append(text.ljust(width) if key in _LEFT else text.rjust(width))
    extras = []
    if figures.get("errors"):
        extras.append(f"{figures['errors']} errors")
    if "double" in figures:
        extras.append(f"double assignments: {figures['double']}")
    if "growth_mib" in figures:
        extras.append(f"{figures['growth_mib']:+.1f} MiB against the smallest export")
    return " ".join(parts) + ("  (" + ", ".join(extras) + ")" if extras else "")


def heading() -> str:
    return " ".join(
        title.ljust(width) if key in _LEFT else title.rjust(width) for key, title, width in COLUMNS
    )


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


def export_memory_rows(by_size: dict[int, Memory]) -> list[dict[str, Any]]:
    """The server's memory over each size's exports (every format): its peaks, and the most
    one process grew meanwhile, so that whether it stays flat as the claims grow shows in one
    place. The largest size carries the budget, against the smallest."""
    if not by_size:
        return []
    sizes = sorted(by_size)
    smallest = round(by_size[sizes[0]].growth, 1)
    rows = []
    for size in sizes:
        figures = memory_figures(by_size[size])
        last = size == sizes[-1] and len(sizes) > 1
        if last:
            figures["growth_mib"] = round(figures["grew_mib"] - smallest, 1)
        rows.append(
            summary_row(
                "server memory during the exports",
                f"{size} claims",
                figures,
                [EXPORT_MEMORY] if last else [],
            )
        )
    return rows


def server_memory_rows(overall: Memory, workers: int) -> list[dict[str, Any]]:
    figures = memory_figures(overall)
    del figures["grew_mib"]  # a figure of a window, not of the whole run
    return [
        # RSS counts the pages the workers share once per process: shown, not budgeted.
        summary_row(f"server peak RSS, {workers} workers", "whole run", figures, []),
        summary_row(
            f"server peak PSS, {workers} workers",
            "whole run",
            {"peak_pss_mib": figures["peak_pss_mib"]},
            [SERVER_PSS],
        ),
    ]


def result(
    *,
    rows: list[Row],
    floor: dict[int, Sample],
    export_memory: dict[int, Memory],
    overall: Memory,
    workers: int,
    data_load: dict[str, Any],
    started: float,
    finished: float,
) -> dict[str, Any]:
    table = [row.figures(floor) for row in rows]
    table += export_memory_rows(export_memory)
    table += server_memory_rows(overall, workers)
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
        "workers": workers,
        "duration_s": round(finished - started, 1),
        # Other work on the machine shows here: the figures mean little when it is high.
        "load_average_at_end": [round(value, 2) for value in os.getloadavg()],
        "data_load": data_load,
        "rows": table,
    }


def load_line(data_load: dict[str, Any]) -> str:
    claims, seconds = data_load.get("claims", 0), data_load.get("import_seconds", 0.0)
    if not claims:
        return "No claims loaded."
    return (
        f"Data: {claims} claims stored through the native import "
        f"(`claims_import_native`, one document per article) in {seconds:.1f} s, "
        f"{seconds / claims * 1000:.2f} ms per claim."
    )


def write(output: Path, outcome: dict[str, Any]) -> None:
    """bench/results/<name>.json, and beside it <name>.md: the table and the data load."""
    import json

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(outcome, indent=2, ensure_ascii=False) + "\n")
    text = markdown(outcome["rows"]) + "\n\n" + load_line(outcome["data_load"]) + "\n"
    output.with_suffix(".md").write_text(text)


def show(outcome: dict[str, Any], output: Path) -> None:
    print()
    print(
        f"{outcome['date']}  commit {outcome['commit']}  {outcome['machine']['cpus']} CPUs  "
        f"{outcome['duration_s']} s  load average {outcome['load_average_at_end']}"
    )
    print(heading())
    for row in outcome["rows"]:
        print(format_line(row))
    print()
    print(load_line(outcome["data_load"]))
    misses = [row for row in outcome["rows"] if row.get("result") == "MISS"]
    missed = "1 budget missed" if len(misses) == 1 else f"{len(misses)} budgets missed"
    print(f"\n{missed}. Written to {output}")
