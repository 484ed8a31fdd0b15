"""`scrubber report`: a corpus at a glance, as Markdown or one self-contained HTML page."""
from __future__ import annotations

from scrubber.report.collect import CorpusReport, DocResult, FixExample, collect
from scrubber.report.html import render_html
from scrubber.report.markdown import render_markdown

__all__ = ["CorpusReport", "DocResult", "FixExample", "collect", "render_html", "render_markdown"]
