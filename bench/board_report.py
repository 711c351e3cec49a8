"""The load benchmark's figures: read from locust's CSV, written as JSON rows and Markdown."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench.board_http import PAGES

GOAL_MS = 100  # issue 11: p95 under 100 ms for every page, also while a run solves
LIMIT_KB = 200  # issue 11: no page over 200 KB of HTML
CAUGHT = re.compile(r"CatchResponseError\((['\"])(.*)\1\)")
PERCENTILES = {"p50": "50%", "p95": "95%", "p99": "99%"}


def page_rows(stats_csv: Path) -> dict[str, dict[str, Any]]:
    """Per request name of locust's `..._stats.csv`: n, p50, p95, p99 (ms), KB, failures.

    Locust keeps response times above 100 ms to two significant digits (e.g. 4,700 ms).
    """
    rows: dict[str, dict[str, Any]] = {}
    with stats_csv.open(newline="") as lines:
        for row in csv.DictReader(lines):
            if row["Name"] == "Aggregated":
                continue
            count = int(row["Request Count"])
            name = row["Name"] if row["Type"] == "GET" else f"{row['Type']} {row['Name']}"
            rows[name] = {
                "n": count,
                **{
                    key: _number(row[column]) if count else None
                    for key, column in PERCENTILES.items()
                },
                "kb": round(float(row["Average Content Size"]) / 1024, 1),
                "failures": int(row["Failure Count"]),
            }
    return rows


def failure_rows(failures_csv: Path) -> list[dict[str, Any]]:
    """Locust's `..._failures.csv`: each page's failures by their error, with their count."""
    with failures_csv.open(newline="") as lines:
        return [
            {"page": row["Name"], "error": _unwrapped(row["Error"]), "n": int(row["Occurrences"])}
            for row in csv.DictReader(lines)
        ]


def _unwrapped(error: str) -> str:
    """The failure's own message, without locust's `CatchResponseError('...')` around it."""
    found = CAUGHT.fullmatch(error)
    return found.group(2) if found else error


def _number(value: str) -> int | None:
    return None if value in ("", "N/A") else round(float(value))


def markdown(results: dict[str, Any]) -> str:
    """A table per database: each page's size, then p50/p95/p99 idle and while a run solves."""
    out: list[str] = []
    for database, measured in results["databases"].items():
        phases = measured["phases"]
        out.append(f"**{database}**, {_phase_notes(phases)}\n")
        header = ["page", "KB"]
        for phase in phases:
            header += [f"{phase}: n", "p50 ms", "p95 ms", "p99 ms"]
        header += ["failures", f"p95 < {GOAL_MS} ms"]
        out.append(_row(header))
        out.append(_row(["---"] + ["---:"] * (len(header) - 2) + ["---"]))
        for page in (p.name for p in PAGES):
            rows = [phase["pages"].get(page) or {} for phase in phases.values()]
            cells = [page, _cell(max((r.get("kb") or 0 for r in rows), default=0))]
            for row in rows:
                cells += [_cell(row.get(key)) for key in ("n", "p50", "p95", "p99")]
            cells.append(_cell(sum(r.get("failures", 0) for r in rows)))
            cells.append(_verdict(rows))
            out.append(_row(cells))
        out.append("")
        out.append(_notes(measured))
    return "\n".join(out)


def _notes(measured: dict[str, Any]) -> str:
    """The pages over the size limit, the failures by error, gunicorn's worker restarts."""
    errors: dict[str, int] = {}
    for phase in measured["phases"].values():
        for row in phase["errors"]:
            errors[row["error"]] = errors.get(row["error"], 0) + row["n"]
    found = ", ".join(f"{error} {n}" for error, n in errors.items()) or "none"
    sizes: dict[str, float] = {}
    for phase in measured["phases"].values():
        for page, row in phase["pages"].items():
            sizes[page] = max(sizes.get(page, 0), row["kb"])
    large = ", ".join(f"{page} {kb:,} KB" for page, kb in sizes.items() if kb > LIMIT_KB)
    server = measured["server"]
    return (
        f"Pages over {LIMIT_KB} KB: {large or 'none'}. Failures: {found}. "
        f"gunicorn: {server['worker_timeouts']} worker timeouts, "
        f"{server['workers_booted']} workers booted.\n"
    )


def _phase_notes(phases: dict[str, Any]) -> str:
    notes = []
    for name, phase in phases.items():
        load = phase["load_average"]
        note = (
            f"{name}: {phase['requests_per_s']} requests/s, "
            f"load average {load['mean']} (max {load['max']})"
        )
        if runs := phase.get("runs"):
            solved = ", ".join(f"{r['seconds']} s ({r['status']})" for r in runs)
            note += f", runs solving {phase['solving_share']:.0%} of the time: {solved}"
        notes.append(note)
    return "; ".join(notes)


def _verdict(rows: Iterable[dict[str, Any]]) -> str:
    p95s = [row.get("p95") for row in rows]
    if None in p95s:
        return "not measured"
    return "met" if all(p is not None and p < GOAL_MS for p in p95s) else "**not met**"


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, int | float):
        return f"{value:,}"
    return str(value)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
