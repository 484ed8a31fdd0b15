"""The library entry points: lint and fix a string with the default (or a given) configuration."""
from __future__ import annotations

from scrubber import engine
from scrubber.config import Config
from scrubber.diffs import unified_diff
from scrubber.engine import FixResult
from scrubber.model import Finding


def check_text(text: str, config: Config | None = None) -> list[Finding]:
    return engine.check(text, (config or Config()).rules())


def fix_text(text: str, config: Config | None = None, unsafe: bool | None = None) -> FixResult:
    """Fix ``text``; ``unsafe`` defaults to the configuration's ``unsafe-fixes``."""
    config = config or Config()
    allow = config.unsafe_fixes if unsafe is None else unsafe
    return engine.fix(text, config.rules(), unsafe=allow)


def diff_text(text: str, config: Config | None = None, unsafe: bool | None = None, name: str = "text") -> str:
    """The unified diff that ``fix_text`` would make: empty when there is nothing to fix."""
    return unified_diff(text, fix_text(text, config, unsafe).text, name)
