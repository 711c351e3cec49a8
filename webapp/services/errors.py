"""Errors a service raises for a view to turn into a response."""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every error a service raises on purpose."""


class NotFoundError(ServiceError):
    """No such record, or not one the acting user may see."""


class InvalidStateError(ServiceError):
    """The record is not in a state that allows the action (e.g. closing a closed opening)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class AlreadyDoneError(InvalidStateError):
    """The action is done already (the same request twice): said calmly, nothing changes."""
