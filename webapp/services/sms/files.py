"""An SMS backend for development: each SMS a .txt file beside the emails under instance/outbox."""

from __future__ import annotations

from pathlib import Path

from .base import OutgoingSms


class FileBackend:
    """Writes `<outbox id:06d>-<template>.sms.txt` into `folder` with the number and the text."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def send(self, sms: OutgoingSms) -> str:
        """Write the SMS as a file; return its name as the gateway's id."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{int(sms.userref):06d}-{sms.template}.sms.txt"
        (self.folder / name).write_text(f"To: {sms.to}\n\n{sms.text}\n", encoding="utf-8")
        return name
