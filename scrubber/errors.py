"""Errors that reach the user as one line naming the file (and line) at fault."""
from __future__ import annotations


class ScrubberError(Exception):
    """A problem with configuration, a rule pack or an input: exit code 2."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if self.path and self.line:
            where = f"{self.path}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class RuleError(ScrubberError):
    """A rule pack that cannot be loaded: bad YAML, unknown kind or option, bad regex."""


class RuleTimeout(Exception):
    """A rule's regex ran past its time limit on one document."""
