"""The registry of rule kinds. One module per kind; a rule pack names a kind by ``name``."""
from __future__ import annotations

from scrubber.kinds.base import Hit, Kind

KINDS: dict[str, type[Kind]] = {}


def register(cls: type[Kind]) -> type[Kind]:
    KINDS[cls.name] = cls
    return cls


def _load_builtin_kinds() -> None:
    # Imported for their @register side effect; the list is the whole set of kinds.
    from scrubber.kinds import line, pattern, substitution  # noqa: F401
    from scrubber.kinds import repeated_line, stray_line  # noqa: F401
    from scrubber.kinds import mojibake  # noqa: F401
    from scrubber.kinds import metric  # noqa: F401
    from scrubber.kinds import glued_words  # noqa: F401


_load_builtin_kinds()

__all__ = ["Hit", "KINDS", "Kind", "register"]
