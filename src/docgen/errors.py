"""Errors a user can act on: each names where in which file the problem is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourceLocation:
    path: Path
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class DocgenError(Exception):
    """An error reported to the user as one clear message, never as a traceback."""


class SourceError(DocgenError):
    """The source file is not a valid document; the message says what was expected."""

    def __init__(self, location: SourceLocation, message: str) -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message

    def __reduce__(self) -> tuple[type[SourceError], tuple[SourceLocation, str]]:
        """Pickled as what it is made of (a process pool sends it back from a worker whole)."""
        return type(self), (self.location, self.message)
