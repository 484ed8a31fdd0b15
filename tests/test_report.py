"""`scrubber report`: what it counts, the charts it draws, and the page as a browser renders it."""
from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import zlib
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from scrubber.config import Config
from scrubber.report import collect, render_html, render_markdown
from scrubber.report.markdown import sparkline
from scrubber.report.svg import Threshold, bars, histogram

from conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"
PROSE = ("The harbour board met on Tuesday to discuss the future of the old ferry terminal. Members agreed that "
         "the building should be restored with help from the regional council. The work will start next spring "
         "and should take two years. Local residents have asked for a small museum about the history of the "
         "port. Its fishing fleet shaped the town for two centuries.\n")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text(PROSE, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Short note   \nwith trailing spaces.  \n", encoding="utf-8")  # 2 findings
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.jsonl").write_text('{"id": "r1", "text": "One record here."}\n{"id": 2, "other": 1}\n',
                                              encoding="utf-8")
    return tmp_path


def test_svg_histogram_bins_and_threshold():
    svg = histogram([0.1, 0.2, 0.2, 0.9], [Threshold(0.5, "max")], "share", bins=10)
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.find(f"{SVG}title").text == "share"
    rects = root.findall(f"{SVG}rect")
    assert len(rects) == 3  # bins holding 0.1, 0.2 (twice) and 0.9
    assert [r.get("class") for r in rects] == ["bar", "bar", "bar fail"]  # 0.9 is past max 0.5
    heights = [float(r.get("height")) for r in rects]
    assert heights[1] == pytest.approx(2 * heights[0])
    threshold = [ln for ln in root.findall(f"{SVG}line") if ln.get("class") == "threshold"]
    assert len(threshold) == 1
    assert any(t.text == "max 0.5" for t in root.findall(f"{SVG}text"))


def test_svg_histogram_counts_and_far_thresholds():
    # Whole numbers get one bar each; a threshold sits between whole numbers (max 0 fails from 1).
    root = ElementTree.fromstring(histogram([0, 0, 1], [Threshold(0, "max")], "lines", integer=True))
    assert [r.get("class") for r in root.findall(f"{SVG}rect")] == ["bar", "bar fail"]
    # A threshold far from the data is named, not drawn (the data would shrink to a sliver).
    root = ElementTree.fromstring(histogram([60, 80, 120], [Threshold(100_000, "max")], "words"))
    assert not [ln for ln in root.findall(f"{SVG}line") if ln.get("class") == "threshold"]
    assert any("off scale: max 100k" == t.text for t in root.findall(f"{SVG}text"))
    assert "no document" in histogram([], [], "empty")


def test_svg_bars_and_escaping():
    root = ElementTree.fromstring(bars([("R1 <a&b>", 4), ("R2", 2)], "per rule"))
    widths = [float(r.get("width")) for r in root.findall(f"{SVG}rect")]
    assert widths[0] == pytest.approx(2 * widths[1])
    assert any(t.text == "R1 <a&b>" for t in root.findall(f"{SVG}text"))


def test_sparkline():
    assert sparkline([0, 0, 0, 1], bins=4) == "█  ▃"
    assert sparkline([]) == "" and sparkline([2, 2]) == "█"


def test_collect_counts_findings_quality_and_examples(corpus):
    report = collect([str(corpus)], Config())
    names = sorted(d.name for d in report.docs)
    assert len(names) == 3 and any(n.endswith("c.jsonl:1 (r1)") for n in names)  # the record without text is skipped
    b = next(d for d in report.docs if d.name.endswith("b.txt"))
    assert b.counts["SCR201"] == 2 and b.changed  # two lines with trailing whitespace, fixed
    assert report.counts["SCR201"] == 2 and report.fixable["SCR201"] == 2
    assert report.worst(5)[0] is b
    # Every quality rule is measured, though none is selected; Q101 is the word count.
    assert len(report.quality_rules) == 31 and all(len(d.quality) == 31 for d in report.docs)
    a = next(d for d in report.docs if d.name.endswith("a.txt"))
    assert a.quality["Q101"] == 63 and "Q101" not in a.failed
    assert "Q101" in b.failed and b.quality["Q101"] == 5  # Short note with trailing spaces .
    assert sorted(report.values("Q101")) == sorted(d.quality["Q101"] for d in report.docs)
    assert len(report.examples) == 1 and report.examples[0].rules == ["SCR201"]
    assert "-Short note   \n" in report.examples[0].diff and "+Short note\n" in report.examples[0].diff
    assert report.short_name(b.name) == "b.txt"  # tables name documents below the folder they share
    assert sorted(report.short_name(n) for n in names) == ["a.txt", "b.txt", "sub/c.jsonl:1 (r1)"]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_is_self_contained_with_a_chart_per_measure(corpus):
    report = collect([str(corpus)], Config())
    page = render_html(report, paths=[str(corpus)])
    parser = _Collector()
    parser.feed(page)
    tags = [t for t, _ in parser.tags]
    assert tags.count("svg") == 31 + 1  # a histogram per quality rule, the bars of findings per rule
    assert "script" not in tags and "link" not in tags and "img" not in tags
    for _, attrs in parser.tags:  # nothing to fetch
        assert not any(k in ("src", "href") for k in attrs)
    assert "<style>" in page and "Q107" in page and "gopher-alpha-words" in page
    assert '<span class="del">-Short note<mark>   </mark></span>' in page  # the removed spaces, marked


def test_markdown_report(corpus):
    md = render_markdown(collect([str(corpus)], Config()))
    assert md.startswith("# scrubber report\n")
    assert "| SCR201 | trailing-whitespace | 2 | 1 | 2 |" in md
    assert "| Q101 gopher-word-count | words (tokens with a non-punctuation character) | min 50, max 100000 | 2 |" in md
    assert "```diff\n--- a/" in md


def test_cli_report(cli, corpus, tmp_path):
    out = tmp_path / "out" / "report.html"
    done = cli("report", str(corpus), "--html", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert b"report on 3 document(s)" in done.stderr and done.stdout == b""
    done = cli("report", str(corpus), "--format", "markdown", "--select", "SCR2")
    assert done.returncode == 0 and done.stdout.startswith(b"# scrubber report")
    assert b"## Document quality" in done.stdout


# --- the page in a real browser -----------------------------------------------------------------
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the raw (filtered) scanlines of a PNG: enough to tell a blank page."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, height, zlib.decompress(idat)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_report_renders_in_headless_chromium(tmp_path):
    page = tmp_path / "out.html"
    done = subprocess.run([sys.executable, "-m", "scrubber", "report", str(ROOT / "seeds"), "--html", str(page)],
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    profile = tmp_path / "profile"
    url = page.resolve().as_uri()
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
                         capture_output=True, timeout=120, text=True).stdout
    assert dom.count("<svg") == 32 and dom.count('class="chart histogram"') == 31
    assert 'class="threshold"' in dom and "Document quality" in dom
    shot = tmp_path / "shot.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}",
                    "--window-size=1280,2000", url], capture_output=True, timeout=120)
    width, height, pixels = png_pixels(shot)
    assert (width, height) == (1280, 2000)
    assert len(set(pixels)) > 64  # text, tables and coloured bars, not a blank page
