"""Output formats for CI, parsed the way their consumers parse them: GitHub workflow commands
matched exactly, SARIF validated against the official schema, JUnit read with an XML parser.
Plus the flags around them: exit codes in every format, --output-file, --statistics, --show-fixes."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, SHARED, run_cli
from scrubber.cli import main
from scrubber.formats import FORMATS
from scrubber.formats.github import annotation, escape_data, escape_property
from scrubber.formats.junit import xml_text
from scrubber.model import Finding, FixSafety, Severity

SELECT = ("--select", "SCR101,SCR102,SCR201,SCR104")
DIRTY = "Hello\u200bworld  \nbell\x07ringer\n"
FIXED = "Helloworld\nbellringer\n"
CLEAN = "Hello world\n"
GITHUB = [
    "::warning file=a.txt,line=1,col=6,endLine=1,endColumn=7,title=SCR101 invisible-character"
    "::invisible U+200B ZERO WIDTH SPACE inside a word",
    "::notice file=a.txt,line=1,col=12,endLine=1,endColumn=14,title=SCR201 trailing-whitespace::trailing whitespace",
    "::error file=a.txt,line=2,col=5,endLine=2,endColumn=6,title=SCR102 control-character"
    "::control character U+0007 (control)",
]
SARIF_SCHEMA = SHARED / "schemas" / "sarif-2.1.0.json"


def run(monkeypatch, capsys, cwd: Path, *args: str) -> tuple[int, str, str]:
    """The CLI in-process (fast); the subprocess tests in test_cli cover the real entry point."""
    monkeypatch.chdir(cwd)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "b.md").write_text(CLEAN, encoding="utf-8")
    return tmp_path


# --- GitHub -----------------------------------------------------------------------------------

def test_github_lines_exactly(corpus, monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, corpus, "check", *SELECT, "--output-format", "github", "a.txt", "b.md")
    assert code == 1
    assert out.splitlines() == GITHUB
    assert "3 findings in 1 file" in err  # the summary stays off the annotations stream


def test_github_escaping_follows_the_toolkit():
    assert escape_data("100%\r\nnext: a, b") == "100%25%0D%0Anext: a, b"
    assert escape_property("dir/a,b:c%.txt\n") == "dir/a%2Cb%3Ac%25.txt%0A"
    f = Finding("H1", "house-rule", 0, 1, 3, 2, 4, 1, "50% off,\nnow: here", Severity.INFO, FixSafety.NONE)
    assert annotation("x,y:z.md", f) == (
        "::notice file=x%2Cy%3Az.md,line=3,col=2,endLine=4,endColumn=1,title=H1 house-rule::50%25 off,%0Anow: here\n")


def test_github_reports_an_unreadable_file(tmp_path, monkeypatch, capsys):
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9\n")
    code, out, _ = run(monkeypatch, capsys, tmp_path, "check", "--output-format", "github", "bad.txt")
    assert code == 2
    assert out.startswith("::error file=bad.txt,title=scrubber error::bad.txt: not valid UTF-8 at byte 3")


# --- SARIF ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sarif_validator():
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF schema is not at {SARIF_SCHEMA} (it lives in ../shared, outside the repo)")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def apply_replacements(text: str, replacements: list[dict]) -> str:
    """Apply SARIF replacements the way a viewer does: regions are 1-based lines and code-point columns."""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    def offset(line: int, col: int) -> int:
        return starts[line - 1] + col - 1

    spans = sorted(((offset(r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"]),
                     offset(r["deletedRegion"]["endLine"], r["deletedRegion"]["endColumn"]),
                     r["insertedContent"]["text"]) for r in replacements), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def test_sarif_is_valid_and_carries_rules_locations_and_fixes(corpus, sarif_validator, monkeypatch, capsys):
    (corpus / "c.txt").write_text("caf\ufffd au lait\n", encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, corpus, "check", *SELECT, "--output-format", "sarif", ".")
    assert code == 1
    doc = json.loads(out)
    sarif_validator.validate(doc)
    assert doc["version"] == "2.1.0"
    run_ = doc["runs"][0]
    assert run_["columnKind"] == "unicodeCodePoints"
    rules = run_["tool"]["driver"]["rules"]
    by_id = {r["id"]: r for r in rules}
    assert set(by_id) == {"SCR101", "SCR102", "SCR104", "SCR201"}
    assert by_id["SCR101"]["name"] == "invisible-character"
    assert by_id["SCR101"]["defaultConfiguration"]["level"] == "warning"
    assert by_id["SCR201"]["defaultConfiguration"]["level"] == "note"
    assert by_id["SCR101"]["shortDescription"]["text"] and by_id["SCR101"]["fullDescription"]["text"]
    results = run_["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("SCR101", "warning"), ("SCR201", "note"), ("SCR102", "error"), ("SCR104", "error")]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    first = results[0]
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "a.txt", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 1, "startColumn": 6, "endLine": 1, "endColumn": 7}
    assert first["message"]["text"] == "invisible U+200B ZERO WIDTH SPACE inside a word"
    # The report-only rule has no fix; the others' fixes, applied as a viewer would, give `fix`'s text.
    assert "fixes" not in results[3]
    replacements = [rep for r in results[:3] for change in r["fixes"][0]["artifactChanges"]
                    for rep in change["replacements"]]
    assert apply_replacements(DIRTY, replacements) == FIXED
    assert run_["invocations"][0]["executionSuccessful"] is True


def test_sarif_with_an_unreadable_file_is_valid_and_exits_2(tmp_path, sarif_validator, monkeypatch, capsys):
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9\n")
    code, out, _ = run(monkeypatch, capsys, tmp_path, "check", "--output-format", "sarif", "bad.txt")
    assert code == 2
    doc = json.loads(out)
    sarif_validator.validate(doc)
    invocation = doc["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "not valid UTF-8" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_sarif_clean_run_is_valid_and_exits_0(tmp_path, sarif_validator, monkeypatch, capsys):
    (tmp_path / "b.md").write_text(CLEAN, encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, tmp_path, "check", "--output-format", "sarif", ".")
    assert code == 0
    doc = json.loads(out)
    sarif_validator.validate(doc)
    assert doc["runs"][0]["results"] == [] and doc["runs"][0]["tool"]["driver"]["rules"]


# --- JUnit ------------------------------------------------------------------------------------

def test_junit_one_suite_a_case_per_file_a_failure_per_finding(corpus, monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, corpus, "check", *SELECT, "--output-format", "junit", ".")
    assert code == 1
    root = ET.fromstring(out.encode("utf-8"))
    suites = root.findall("testsuite")
    assert root.tag == "testsuites" and len(suites) == 1
    suite = suites[0]
    assert suite.get("tests") == "2" and suite.get("failures") == "1" and suite.get("errors") == "0"
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {"a.txt", "b.md"}
    failures = cases["a.txt"].findall("failure")
    assert [f.get("type") for f in failures] == ["SCR101", "SCR201", "SCR102"]
    assert failures[0].get("message") == "SCR101 invisible U+200B ZERO WIDTH SPACE inside a word"
    assert failures[0].text.startswith("a.txt:1:6: SCR101 [*] invisible")
    assert list(cases["b.md"]) == []


def test_junit_stays_well_formed_with_control_characters_and_errors(tmp_path, monkeypatch, capsys):
    assert xml_text("a\x07b\x00c\td") == "a\\u0007b\\u0000c\td"
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9\n")
    code, out, _ = run(monkeypatch, capsys, tmp_path, "check", "--output-format", "junit", "bad.txt")
    assert code == 2
    case = ET.fromstring(out.encode("utf-8")).find("testsuite/testcase")
    assert case is not None and case.find("error") is not None


# --- concise, full ----------------------------------------------------------------------------

def test_concise_is_one_line_per_finding(corpus, monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, corpus, "check", *SELECT, "--output-format", "concise", "-q", "a.txt")
    assert code == 1
    assert out.splitlines() == [
        "a.txt:1:6: SCR101 [*] invisible U+200B ZERO WIDTH SPACE inside a word",
        "a.txt:1:12: SCR201 [*] trailing whitespace",
        "a.txt:2:5: SCR102 [*] control character U+0007 (control)",
    ]


def test_full_shows_the_line_and_the_fix(corpus, monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, corpus, "check", *SELECT, "--output-format", "full", "-q", "a.txt")
    assert code == 1
    first = out.split("\n\n")[0].splitlines()
    assert first == [
        "a.txt:1:6: SCR101 [*] invisible U+200B ZERO WIDTH SPACE inside a word",
        "  |",
        "1 | Hello<U+200B>world··",
        "  |      ^^^^^^^^",
        "  = fix (safe):",
        "    - Hello<U+200B>world··",
        "    + Helloworld··",
    ]
    assert "    + Hello<U+200B>world\n" in out  # the trailing-whitespace fix is visible
    assert "2 | bell<U+0007>ringer" in out


def test_full_cuts_long_lines_and_shows_removed_lines(tmp_path, monkeypatch, capsys):
    (tmp_path / "long.txt").write_text("word " * 5000 + "x\u200by\n\n\n\nend\n", encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, tmp_path, "check", "--select", "SCR101,SCR202", "--output-format",
                       "full", "-q", "long.txt")
    assert code == 1
    assert max(len(line) for line in out.splitlines()) < 300
    assert "1 | …ord word" in out and "word x<U+200B>y\n" in out and "    + …ord word" in out
    assert "   +\n" in out  # the blank-line run shrinks to one blank line


# --- exit codes in every format -------------------------------------------------------------

@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_exit_codes_in_every_format(fmt, tmp_path, monkeypatch, capsys):
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "dirty.txt").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9\n")
    for paths, expected in ((["clean.txt"], 0), (["dirty.txt"], 1), (["bad.txt"], 2), (["clean.txt", "dirty.txt",
                                                                                         "bad.txt"], 2)):
        code, _, _ = run(monkeypatch, capsys, tmp_path, "check", *SELECT, "--output-format", fmt, *paths)
        assert code == expected, (fmt, paths)
    code, _, _ = run(monkeypatch, capsys, tmp_path, "check", *SELECT, "--output-format", fmt, "--exit-zero",
                     "dirty.txt")
    assert code == 0
    code, _, _ = run(monkeypatch, capsys, tmp_path, "check", "--output-format", fmt, "--select", "NOPE", ".")
    assert code == 2


# --- --output-file, --statistics, --show-fixes ---------------------------------------------------

def test_output_file_receives_the_report(corpus, sarif_validator, monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, corpus, "check", *SELECT, "--output-format", "sarif",
                         "--output-file", "reports/scrubber.sarif", ".")
    assert code == 1 and out == ""
    assert "3 findings in 1 file" in err
    sarif_validator.validate(json.loads((corpus / "reports" / "scrubber.sarif").read_text(encoding="utf-8")))
    code, out, _ = run(monkeypatch, capsys, corpus, "check", *SELECT, "-o", "report.txt", ".")
    assert code == 1 and out == ""
    assert (corpus / "report.txt").read_text(encoding="utf-8").splitlines()[0].startswith("a.txt:1:6: SCR101")
    assert not list(corpus.glob(".*.scrubber-tmp"))


USER_PACK = """rules:
  - id: H901
    name: zap-word
    kind: pattern
    severity: warning
    fix: unsafe
    message: "zap"
    options: {pattern: 'ZAP ?', replacement: ''}
    examples:
      - {input: "a ZAP b", output: "a b"}
      - {input: "a b", findings: 0}
"""


def test_statistics_count_fixable_per_rule(tmp_path, monkeypatch, capsys):
    (tmp_path / "house.yaml").write_text(USER_PACK, encoding="utf-8")
    (tmp_path / "scrubber.yaml").write_text("rules: [house.yaml]\nselect: [SCR101, SCR104, H901]\n",
                                            encoding="utf-8")
    (tmp_path / "a.txt").write_text("a\u200bb c\u200bd caf\ufffd ZAP ZAP ZAP\n", encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, tmp_path, "check", "--statistics", "-q", "a.txt")
    assert code == 1
    assert out.splitlines() == [
        "     3  H901         zap-word",
        "     2  SCR101   [*] invisible-character",
        "     1  SCR104       replacement-character",
    ]
    code, out, _ = run(monkeypatch, capsys, tmp_path, "check", "--statistics", "--unsafe-fixes", "-q",
                       "--output-format", "json", "a.txt")
    assert json.loads(out) == [
        {"code": "H901", "name": "zap-word", "count": 3, "fixable": 3},
        {"code": "SCR101", "name": "invisible-character", "count": 2, "fixable": 2},
        {"code": "SCR104", "name": "replacement-character", "count": 1, "fixable": 0},
    ]


def test_show_fixes_in_check_and_fix(corpus, monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, corpus, "check", *SELECT, "--show-fixes", "-q", ".")
    assert code == 1
    assert out.endswith("3 fixable findings:\n- a.txt:\n    1 × SCR101 (invisible-character)\n"
                        "    1 × SCR102 (control-character)\n    1 × SCR201 (trailing-whitespace)\n")
    code, out, _ = run(monkeypatch, capsys, corpus, "fix", *SELECT, "--show-fixes", "-q", ".")
    assert code == 0
    assert out == ("Fixed 3 findings:\n- a.txt:\n    1 × SCR101 (invisible-character)\n"
                   "    1 × SCR102 (control-character)\n    1 × SCR201 (trailing-whitespace)\n")
    assert (corpus / "a.txt").read_text(encoding="utf-8") == FIXED
    code, out, _ = run(monkeypatch, capsys, corpus, "fix", *SELECT, "--show-fixes", "-q", ".")
    assert code == 0 and out == "No fixes applied.\n"


def test_the_real_command_with_sarif_on_stdout_and_summary_on_stderr(corpus):
    proc = run_cli("check", *SELECT, "--output-format", "sarif", ".", cwd=corpus)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["runs"][0]["results"]
    assert b"3 findings" in proc.stderr


def test_github_actions_example_uses_valid_commands():
    import shlex

    import yaml

    from scrubber.cli import build_parser

    workflow = yaml.safe_load((ROOT / "examples" / "github-actions.yml").read_text(encoding="utf-8"))
    commands = [line.strip() for job in workflow["jobs"].values() for step in job["steps"]
                for line in str(step.get("run", "")).splitlines() if line.strip().startswith("scrubber ")]
    assert any("--output-format github" in c for c in commands)
    for command in commands:
        build_parser().parse_args(shlex.split(command)[1:])  # exits on an unknown flag
