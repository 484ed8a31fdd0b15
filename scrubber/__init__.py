"""scrubber: a linter and fixer for scraped text, with rules written in YAML."""
from __future__ import annotations

from scrubber.api import check_text, diff_text, fix_text
from scrubber.config import Config
from scrubber.engine import FixResult
from scrubber.model import Edit, Finding, FixSafety, Severity

__version__ = "0.1.0"
__all__ = ["Config", "Edit", "Finding", "FixResult", "FixSafety", "Severity", "check_text", "diff_text",
           "fix_text", "__version__"]
