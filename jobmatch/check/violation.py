"""A broken rule, as the validator reports it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: its code, the records it concerns and what is wrong."""

    rule: str
    message: str
    youth: str | None = None
    opening: str | None = None

    def __str__(self) -> str:
        records = [
            f"{kind} {name!r}"
            for kind, name in (("youth", self.youth), ("opening", self.opening))
            if name is not None
        ]
        where = f" ({', '.join(records)})" if records else ""
        return f"{self.rule}{where}: {self.message}"
