"""What a background task's owner is told when the task fails outside its own hands."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class FailureReason(StrEnum):
    """Why a task ended without finishing: a name for the owner, never a traceback."""

    TIMEOUT = "timeout"  # it ran over its time limit and was stopped
    CRASHED = "crashed"  # its process died (out of memory, killed)
    ERROR = "error"  # it raised an exception of its own


def task_path(task: Callable[..., Any]) -> str:
    """``module:name`` of a module-level function, the way a worker finds it again."""
    path = f"{task.__module__}:{task.__qualname__}"
    if "<" in path or "." in task.__qualname__:
        raise ValueError(f"a background task must be a module-level function, got {path}")
    return path


def resolve(path: str) -> Callable[..., Any]:
    """The function of a `task_path`."""
    module, _, name = path.partition(":")
    found: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return found


@dataclass(frozen=True)
class FailureHook:
    """`task(*args, reason)`, called once when a task fails: JSON-able, to travel with a job."""

    task: str  # a `task_path`
    args: tuple[Any, ...] = ()

    @classmethod
    def of(cls, task: Callable[..., Any], *args: Any) -> FailureHook:
        return cls(task_path(task), args)

    def call(self, reason: FailureReason) -> None:
        resolve(self.task)(*self.args, str(reason))

    def to_json(self) -> list[Any]:
        return [self.task, list(self.args)]

    @classmethod
    def from_json(cls, data: Sequence[Any]) -> FailureHook:
        return cls(str(data[0]), tuple(data[1]))
