"""Fuzzing `jobmatch.load` with random JSON: a document either loads (and then solves and
is written) or raises `ProblemError`; never any other exception."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jobmatch
from jobmatch.io.records import _OPENING_KEYS, _YOUTH_KEYS
from jobmatch.io.values import MISSING

from .factories import document, opening, shift, youth

BASE = document(
    [
        youth("a", location={"lat": 55.5, "lon": 9.0}, max_travel_km=20, interests=["shop"],
              availability=[shift("sat", "08:00", "20:00")], preferences=["o1"], buddies=["b"]),
        youth("b", birth_date="2010-05-01"),
    ],
    [opening(location={"lat": 55.55, "lon": 9.0}, category="shop", requires={"languages": ["da"]}),
     opening("o2", kind="lommepengejob", positions=2)],
    start_date="2026-08-03",
    fixed=[{"youth": "b", "opening": "o2"}],
    forbidden=[{"youth": "a", "opening": "o2"}],
    weights={"interest": 5},
    options={"time_limit_s": 1},
)  # fmt: skip


def nest(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


HUGE = st.sampled_from([10**15, -(10**15), 2**63, 10**30, 10**400, 10**4000, -(10**4000)])
ODD_TEXT = st.sampled_from(["", " ", "\x00", "y\ud800", "\udcff", "\u202e", "24:00", "-1",
                            "99:99", "2026-02-30", "mon", "x" * 10_000, "\ufeff"])  # fmt: skip
SCALARS = (
    st.none() | st.booleans() | st.integers() | HUGE | st.floats() | ODD_TEXT
    | st.text(st.characters(codec="utf-8"), max_size=8)
    | st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=2)
)  # fmt: skip
KEYS = st.sampled_from(sorted(_YOUTH_KEYS | _OPENING_KEYS | {"day", "start", "end", "lat"}))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(KEYS | st.text() | st.integers() | st.none(), inner, max_size=3),
    max_leaves=12,
) | st.sampled_from([0, 31, 33, 100]).map(nest)  # fmt: skip
PLACES = st.sampled_from(
    [("youths", 0, key) for key in sorted(_YOUTH_KEYS)]
    + [("openings", 0, key) for key in sorted(_OPENING_KEYS)]
    + [("openings", 0, "shifts", 0, key) for key in ("day", "start", "end")]
    + [("youths", 0, 7), (None,), ("youths", 0, "location", "lat"), ("openings", 1, "positions"),
       ("fixed", 0, "youth"),
       ("forbidden", 0, "opening"), ("weights", "interest"), ("options", "time_limit_s"),
       ("options", "rules"), ("youths", 1), ("openings",), ("format",), ("start_date",),
       ("period",), ("youths", 0, "availability", 0), ("openings", 0, "requires", "languages")]
)  # fmt: skip


def put(doc: Any, place: tuple[Any, ...], value: Any) -> None:
    """Set (or, with MISSING, delete) the value at `place`, where the document has it."""
    *parents, last = place
    for step in parents:
        if not has(doc, step):
            return
        doc = doc[step]
    if isinstance(doc, dict) and value is MISSING:
        doc.pop(last, None)
    elif value is not MISSING and (isinstance(doc, dict) or has(doc, last)):
        doc[last] = value


def has(container: Any, step: Any) -> bool:
    if isinstance(container, dict):
        return step in container
    return isinstance(container, list) and isinstance(step, int) and step < len(container)


@st.composite
def documents(draw: st.DrawFn) -> Any:
    doc = copy.deepcopy(BASE)
    for place in draw(st.lists(PLACES, min_size=1, max_size=3)):
        put(doc, place, draw(VALUES | st.just(MISSING)))
    return doc


def load_outcome(source: Any) -> jobmatch.Problem | jobmatch.ProblemError:
    try:
        return jobmatch.load(source)
    except jobmatch.ProblemError as error:
        return error


def loads_or_problem_error(source: Any) -> None:
    outcome = load_outcome(source)
    if isinstance(outcome, jobmatch.Problem):
        jobmatch.dumps(jobmatch.solve(outcome, time_limit_s=1)).encode("utf-8")
        return
    assert outcome.issues
    assert all(issue.location and issue.message for issue in outcome.issues)
    str(outcome).encode("utf-8")  # every message can be printed


@settings(max_examples=300, deadline=None)
@given(documents())
def test_a_random_mapping_loads_or_raises_problem_error(doc: Any) -> None:
    loads_or_problem_error(doc)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.integers(0, 2**16), st.binary(max_size=3), st.booleans())
def test_random_json_text_loads_or_raises_problem_error(
    doc: Any, at: int, inserted: bytes, ensure_ascii: bool
) -> None:
    try:
        data = json.dumps(doc, ensure_ascii=ensure_ascii).encode("utf-8", "surrogatepass")
    except ValueError:  # an int of more digits than json.dumps writes
        return
    at %= len(data) + 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "problem.json"
        path.write_bytes(data[:at] + inserted + data[at:])
        loads_or_problem_error(path)
