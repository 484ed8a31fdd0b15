"""Loading rule packs: every shipped example runs here, and every bad pack is refused with file:line."""
from __future__ import annotations

from pathlib import Path

import pytest

from scrubber.config import Config
from scrubber.errors import RuleError
from scrubber.examples import run_example
from scrubber.rules import load_pack, load_rules, select_rules, shipped_packs

SHIPPED = load_rules(shipped_packs())
CASES = [pytest.param(rule, ex, id=f"{rule.id}-{i}") for rule in SHIPPED for i, ex in enumerate(rule.examples)]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_shipped_example(rule, example):
    assert run_example(rule, example) is None


def test_every_shipped_rule_has_a_positive_and_a_counter_example():
    for rule in SHIPPED:
        hits = [ex for ex in rule.examples if ex.output not in (None, ex.input) or (ex.findings or 0) > 0]
        quiet = [ex for ex in rule.examples if ex.findings == 0 or ex.output == ex.input]
        assert hits, f"{rule.id} has no example that triggers it"
        assert quiet, f"{rule.id} has no counter-example"
        assert rule.description, f"{rule.id} has no description"


def bad_pack(tmp_path: Path, body: str) -> RuleError:
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_pack(path)
    return info.value


RULE = """rules:
  - id: U1
    name: user-rule
    kind: {kind}
    message: m
    options: {options}
"""


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    err = bad_pack(tmp_path, "rules:\n  - id: U1\n    name: [unclosed\n")
    assert err.path.endswith("bad.yaml") and err.line is not None and "invalid YAML" in err.message


def test_unknown_kind(tmp_path):
    err = bad_pack(tmp_path, RULE.format(kind="nonsense", options="{}"))
    assert "unknown kind 'nonsense'" in err.message and err.line == 2


def test_unknown_option(tmp_path):
    err = bad_pack(tmp_path, RULE.format(kind="pattern", options="{pattern: 'x', colour: red}"))
    assert "colour" in err.message and err.line == 6


def test_regex_that_does_not_compile(tmp_path):
    err = bad_pack(tmp_path, RULE.format(kind="pattern", options="{pattern: '(unclosed'}"))
    assert "does not compile" in err.message and str(err).startswith(str(tmp_path / "bad.yaml") + ":")


def test_replacement_naming_a_missing_group(tmp_path):
    err = bad_pack(tmp_path, RULE.format(kind="pattern", options="{pattern: 'x', replacement: '\\\\2'}"))
    assert "group" in err.message


def test_missing_required_key_and_bad_id(tmp_path):
    err = bad_pack(tmp_path, "rules:\n  - id: lower1\n    name: x\n    kind: pattern\n    message: m\n")
    assert "lower1" in err.message and err.line == 2


def test_duplicate_ids_across_packs(tmp_path):
    a = tmp_path / "a.yaml"
    b = tmp_path / "b.yaml"
    a.write_text(RULE.format(kind="pattern", options="{pattern: x}"), encoding="utf-8")
    b.write_text(RULE.format(kind="pattern", options="{pattern: y}"), encoding="utf-8")
    with pytest.raises(RuleError, match="duplicate rule 'U1'"):
        load_rules([a, b])


def test_yaml_aliases_are_refused(tmp_path):
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nrules: []\n'
    err = bad_pack(tmp_path, bomb)
    assert "aliases" in err.message


def test_python_tags_cannot_run_code(tmp_path):
    err = bad_pack(tmp_path, "rules: !!python/object/apply:os.system ['echo hi']\n")
    assert "invalid YAML" in err.message


def test_failing_example_in_a_user_pack_is_refused(tmp_path):
    pack = tmp_path / "house.yaml"
    pack.write_text("""rules:
  - id: H1
    name: house
    kind: substitution
    message: m
    options: {table: {teh: the}}
    examples:
      - input: "teh cat"
        output: "a cat"
""", encoding="utf-8")
    with pytest.raises(RuleError) as info:
        Config(packs=(pack,)).rules()
    assert info.value.line == 8 and "H1" in info.value.message


def test_selection_by_id_prefix_name_and_ignore():
    ids = lambda rules: [r.id for r in rules]  # noqa: E731
    assert ids(select_rules(SHIPPED, select=["SCR10"])) == [r.id for r in SHIPPED if r.id.startswith("SCR10")]
    assert ids(select_rules(SHIPPED, select=["trailing-whitespace"])) == ["SCR201"]
    assert "SCR101" not in ids(select_rules(SHIPPED, ignore=["SCR101"]))
    with pytest.raises(RuleError, match="matches no rule"):
        select_rules(SHIPPED, select=["NOPE9"])
    off = [r for r in SHIPPED if not r.enabled]
    if off:
        assert off[0].id not in ids(select_rules(SHIPPED))
        assert off[0].id in ids(select_rules(SHIPPED, extend_select=[off[0].id]))


@pytest.mark.parametrize("pack", shipped_packs(), ids=lambda p: p.name)
def test_shipped_packs_pass_every_check_a_users_pack_gets(pack):
    """A run loads the shipped packs without the schema checks (and with libyaml), trusting this
    test: loaded as a user's pack, each must pass every check and give the same rules."""
    from scrubber.packs import read_pack

    strict = load_pack(pack)
    fast = load_pack(pack, trusted=True)
    assert read_pack(pack) == read_pack(pack, trusted=True)
    assert [(r.id, r.name, r.options, r.examples) for r in strict] == [(r.id, r.name, r.options, r.examples) for r in fast]


def test_loaded_rules_survive_pickle_and_copy():
    """Patterns of the shipped packs compile on first use; the stand-in must pickle and copy
    like the compiled pattern (a cluster engine may ship rules to its workers)."""
    import copy
    import pickle

    from scrubber import engine

    rules = Config().rules()
    text = "Title\n\nShare this article\n\nBody with zero\u200bwidth.\n"
    expected = [(f.rule_id, f.start) for f in engine.check(text, rules)]
    assert expected
    for other in (pickle.loads(pickle.dumps(rules)), copy.deepcopy(rules)):
        assert [(f.rule_id, f.start) for f in engine.check(text, other)] == expected
