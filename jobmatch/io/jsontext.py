"""Reading a JSON document as the spec demands: `read_json`.

The text must be UTF-8, no object may give a key twice, no string may hold a lone
surrogate (it could not be written back as UTF-8), and nothing may be nested deeper
than `MAX_DEPTH` lists and objects. Each breach is an `Issue` at its place in the
document, with the record it lies in, never a `RecursionError` or a crash later on.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import Issue, ProblemError
from ..jsonkinds import kind_of, shown

MAX_DEPTH = 32
"""Lists and objects inside one another, the document itself included: the format needs 5."""
_RECORD_KEYS = ("id", "youth")  # what names the record of a top-level list's item
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # how JSON text writes one in ASCII
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},]')


class _Repeated(dict[str, Any]):
    """A parsed JSON object whose text gave some keys more than once."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        counts = Counter(key for key, _ in pairs)
        self.repeated = tuple(key for key, count in counts.items() if count > 1)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The object of the parsed pairs; a `_Repeated` one when a key is given twice."""
    obj = dict(pairs)
    return obj if len(obj) == len(pairs) else _Repeated(pairs)


def read_json(source: str | Path | Mapping[str, Any]) -> Mapping[str, Any]:
    """The JSON object at a path (or the mapping itself), checked as the module says.

    Raises:
        ProblemError: the file cannot be read, is not UTF-8 JSON holding an object, or
            breaks a rule above; every issue names its place and record.
    """
    if isinstance(source, Mapping):
        _raise_if(list(_tree_issues(source, bad_bytes=False)))
        return source
    where = str(source)
    try:
        data = Path(source).read_bytes()
    except FileNotFoundError:
        raise ProblemError([Issue(where, None, "unreadable", "no such file")]) from None
    except OSError as error:
        message = f"cannot be read: {error.strerror or error}"
        raise ProblemError([Issue(where, None, "unreadable", message)]) from None
    return parse_json(data, where)


def parse_json(data: bytes, where: str) -> Mapping[str, Any]:
    """The JSON object in `data` (the contents of the file `where`), checked likewise."""
    try:
        text, bad_bytes = data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        # Bytes that are not UTF-8 become lone surrogates, found below at their place.
        text, bad_bytes = data.decode("utf-8", "surrogateescape"), error
    try:
        value = json.loads(text, object_pairs_hook=_object)
    except RecursionError:
        raise ProblemError([_too_deep_in_text(text)]) from None
    except json.JSONDecodeError as error:
        if bad_bytes is not None:
            at = bad_bytes.start
            message = f"is not UTF-8 text: byte 0x{data[at]:02x} at {_line(data, at)}"
            raise ProblemError([Issue(where, None, "not_text", message)]) from None
        message = f"is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        raise ProblemError([Issue(where, None, "unreadable", message)]) from None
    except ValueError as error:  # an integer of more digits than Python converts
        message = f"is not valid JSON: {error}"
        raise ProblemError([Issue(where, None, "unreadable", message)]) from None
    if not isinstance(value, Mapping):
        message = f"must hold a JSON object, got {kind_of(value)}"
        raise ProblemError([Issue(where, None, "wrong_type", message)])
    # Text with no bad bytes and no escaped surrogate holds no lone surrogate.
    text_checked = bad_bytes is None and not _SURROGATE_ESCAPE.search(text)
    issues = _tree_issues(value, bad_bytes=bad_bytes is not None, plain_text=text_checked)
    _raise_if(list(issues))
    return value


def _raise_if(issues: list[Issue]) -> None:
    if issues:
        raise ProblemError(issues)


def _line(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - data.rfind(b"\n", 0, offset)
    return f"line {line} column {column}"


def _too_deep(where: str, record: str | None) -> Issue:
    message = f"is nested deeper than the format needs (more than {MAX_DEPTH} lists and objects)"
    return Issue(where, record, "too_deep", message)


def _record_of(value: Any) -> str | None:
    """The id that names an item of a top-level list, when it has a readable one."""
    if isinstance(value, Mapping):
        for key in _RECORD_KEYS:
            if _readable(ident := value.get(key)):
                return ident
    return None


def _readable(ident: Any) -> bool:
    """True for a string that can be printed as UTF-8."""
    return isinstance(ident, str) and not _LONE_SURROGATE.search(ident)


def _tree_issues(document: Mapping[str, Any], *, bad_bytes: bool, plain_text: bool = False
                 ) -> Iterator[Issue]:  # fmt: skip
    """Repeated keys, bad text and too deep nesting, walked without recursion.

    `plain_text`: the document was parsed from text known to hold no lone surrogate, so
    its keys are strings and its text is good; only keys and depth are left to check.
    """
    stack: list[tuple[Mapping[str, Any] | list[Any], str, int, str | None]] = [
        (document, "", 1, None)
    ]
    while stack:
        value, where, depth, record = stack.pop()
        if depth > MAX_DEPTH:
            yield _too_deep(where, record)
            continue
        items: Iterable[tuple[Any, Any]]
        if isinstance(value, list):
            items = enumerate(value)
        else:
            items = value.items()
            for key in getattr(value, "repeated", ()):
                message = f"gives the key {key!r} more than once; each key may appear once"
                yield Issue(_at(where, key), record, "duplicate", message)
            for key in () if plain_text else value:
                if not isinstance(key, str):
                    message = f"has a key that is not a string: {shown(key)}"
                    yield Issue(where or "document", record, "wrong_type", message)
                elif not key.isascii() and (found := _LONE_SURROGATE.search(key)):
                    yield _bad_text(_at(where, key), record, found.group(), bad_bytes)
        inside: list[tuple[Mapping[str, Any] | list[Any], str, int, str | None]] = []
        for key, item in items:
            # dict and list first: a plain isinstance is far cheaper than one of Mapping.
            if isinstance(item, dict | list) or (not plain_text and isinstance(item, Mapping)):
                item_record = _record_of(item) if depth == 2 else record
                inside.append((item, _at(where, key), depth + 1, item_record))
            elif (
                not plain_text
                and isinstance(item, str)
                and not item.isascii()
                and (found := _LONE_SURROGATE.search(item))
            ):
                yield _bad_text(_at(where, key), record, found.group(), bad_bytes)
        stack.extend(reversed(inside))


def _at(where: str, key: Any) -> str:
    """The place of a list index or a key inside the place `where` ("" is the document)."""
    if isinstance(key, int):
        return f"{where}[{key}]"
    if not isinstance(key, str):  # a dict from a program, not from JSON
        key = shown(key)
    elif not key.isascii():  # a lone surrogate is named by its escape
        key = key.encode("utf-8", "backslashreplace").decode("utf-8")
    return f"{where}.{key}" if where else key


def _bad_text(where: str, record: str | None, char: str, bad_bytes: bool) -> Issue:
    if bad_bytes and 0xDC80 <= ord(char) <= 0xDCFF:
        message = f"holds the byte 0x{ord(char) - 0xDC00:02x}, which is not UTF-8 text"
    else:
        message = f"holds a lone surrogate \\u{ord(char):04x}, which is not Unicode text"
    return Issue(where, record, "not_text", message)


def _too_deep_in_text(text: str) -> Issue:
    """Where JSON text too deep for the parser first nests deeper than `MAX_DEPTH`.

    A small scanner of strings and brackets (the text parsed well up to that depth):
    it follows the keys and indices to the place, and the id of the record it is in.
    """
    stack: list[list[Any]] = []  # [is_object, key or index, expecting a key]
    place: str | None = None
    record: str | None = None
    for match in _TOKEN.finditer(text):
        token = match.group()
        top = stack[-1] if stack else None
        if token in ("[", "{"):
            if place is None and len(stack) == MAX_DEPTH:
                place = _place(stack)
            stack.append([token == "{", 0 if token == "[" else None, token == "{"])
        elif token in ("]", "}"):
            stack.pop()
            if len(stack) == 2 and place is not None:
                break
            if len(stack) == 2:
                record = None
        elif token == ",":
            if top is not None and top[0]:
                top[2] = True
            elif top is not None:
                top[1] += 1
        elif top is not None and top[0] and top[2]:
            top[1], top[2] = json.loads(token), False
        elif len(stack) == 3 and top is not None and top[1] in _RECORD_KEYS and record is None:
            record = ident if _readable(ident := json.loads(token)) else None
    return _too_deep(place or "document", record if place else None)


def _place(stack: list[list[Any]]) -> str:
    where = ""
    for _, key, _ in stack:
        where = _at(where, key)
    return where
