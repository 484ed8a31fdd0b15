"""Rules as data: building :class:`Rule` objects from packs and choosing the active set."""
from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from scrubber.errors import RuleError
from scrubber.kinds import KINDS, Kind
from scrubber.kinds.regexes import deferred_compilation
from scrubber.model import FixSafety, Severity
from scrubber.packs import line_of, read_pack

DEFAULT_TIMEOUT = 2.0


@dataclass(frozen=True)
class Example:
    input: str
    output: str | None
    findings: int | None
    line: int
    name: str = ""


@dataclass(frozen=True, eq=False)
class Rule:
    id: str
    name: str
    kind: str
    severity: Severity
    fix: FixSafety
    message: str
    description: str
    enabled: bool
    options: Mapping[str, Any]
    examples: tuple[Example, ...]
    source: str  # the pack file
    line: int
    checker: Kind = field(repr=False)

    def format_message(self, data: Mapping[str, Any]) -> str:
        return self.message.format_map(_Fields(data))

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}"


class _Fields(dict):
    """Message fields: unknown names stay visible as ``{name}`` instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def shipped_packs_dir() -> Path:
    """The packs installed with the package (wheel), else the source tree's ``rules/``."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise RuleError("the shipped rule packs are missing from this installation", str(here))


def shipped_packs() -> list[Path]:
    return sorted(shipped_packs_dir().glob("*.yaml"))


@lru_cache(maxsize=None)
def _options_validator(kind_cls: type[Kind]) -> Any:
    """One validator per kind: ``jsonschema.validate`` re-checks the schema itself on every call,
    which was a third of the start-up time of every run."""
    schema = kind_cls.options_schema
    import jsonschema

    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def build_rule(
    raw: Mapping[str, Any], source: str, timeout: float | None = DEFAULT_TIMEOUT, trusted: bool = False
) -> Rule:
    """A rule from its YAML; ``trusted`` (a shipped pack, validated by the test suite) skips the
    options' schema check, which a user's pack always gets, and the time limit of its regexes.

    The limit is the guard against a user's pattern that backtracks without end; the shipped
    patterns are linear (the fuzzer feeds them, and ``benchmarks/hostile_inputs.py`` runs them
    on a 100 MB line), and the regex module's time check costs about 3 µs a call, which on
    rules that try one line at a time is a tenth of a whole check. ``timeout`` None: no limit.
    """
    line = getattr(raw, "line", 0)
    kind_name = raw["kind"]
    kind_cls = KINDS.get(kind_name)
    if kind_cls is None:
        known = ", ".join(sorted(KINDS))
        raise RuleError(f"rule {raw['id']}: unknown kind {kind_name!r} (known: {known})", source, line)
    options = raw.get("options") or {}
    if not trusted:
        _check_options(raw, kind_cls, options, source, line)
    fix = FixSafety(raw.get("fix", "safe" if kind_cls.can_fix else "none"))
    if fix is not FixSafety.NONE and not kind_cls.can_fix:
        raise RuleError(f"rule {raw['id']}: kind {kind_name!r} proposes no fix; use `fix: none`", source, line)
    try:
        checker = kind_cls(options, timeout=None if trusted else timeout)
    except ValueError as exc:
        raise RuleError(f"rule {raw['id']}: {exc}", source, getattr(options, "line", None) or line) from None
    examples = tuple(
        Example(ex["input"], ex.get("output"), ex.get("findings"), getattr(ex, "line", line), ex.get("name", ""))
        for ex in raw.get("examples") or ()
    )
    return Rule(
        id=raw["id"], name=raw["name"], kind=kind_name, severity=Severity(raw.get("severity", "warning")),
        fix=fix, message=raw["message"], description=(raw.get("description") or "").strip(),
        enabled=raw.get("enabled", True), options=options, examples=examples, source=source, line=line,
        checker=checker,
    )


def _check_options(raw: Mapping[str, Any], kind_cls: type[Kind], options: Mapping[str, Any], source: str,
                   line: int) -> None:
    import jsonschema

    try:
        error = jsonschema.exceptions.best_match(_options_validator(kind_cls).iter_errors(options))
        if error is not None:
            raise error
    except jsonschema.ValidationError as err:
        where = ".".join(str(p) for p in err.absolute_path)
        msg = f"rule {raw['id']}: options{'.' + where if where else ''}: {err.message}"
        raise RuleError(msg, source, line_of(options, tuple(err.absolute_path)) or line) from None


def load_pack(path: Path, timeout: float | None = DEFAULT_TIMEOUT, display: str | None = None,
              trusted: bool = False) -> list[Rule]:
    source = display or str(path)
    data = read_pack(path, trusted)
    return [build_rule(raw, source, timeout, trusted) for raw in data["rules"]]


def load_rules(paths: Iterable[Path], timeout: float | None = DEFAULT_TIMEOUT,
               display: Mapping[Path, str] | None = None) -> list[Rule]:
    """All rules of ``paths`` in order; ids and names must be unique across packs."""
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    shipped = set(shipped_packs())
    for path in paths:
        with deferred_compilation() if path in shipped else contextlib.nullcontext():
            pack = load_pack(path, timeout, (display or {}).get(path), trusted=path in shipped)
        for rule in pack:
            for key in (rule.id, rule.name):
                if key in seen:
                    other = seen[key]
                    raise RuleError(f"duplicate rule {key!r} (first defined at {other.location})",
                                    rule.source, rule.line)
                seen[key] = rule
            rules.append(rule)
    return rules


def matches(rule: Rule, selector: str) -> bool:
    """A selector is a rule name, an id, or an id prefix (``SCR1`` selects SCR101..SCR199)."""
    return selector == rule.name or rule.id.startswith(selector) or selector == "ALL"


def select_rules(rules: Sequence[Rule], select: Sequence[str] = (), ignore: Sequence[str] = (),
                 extend_select: Sequence[str] = ()) -> list[Rule]:
    """ruff's selection: ``select`` replaces the default set, ``extend-select`` adds, ``ignore`` removes.

    An unknown selector is an error: a typo in CI config must not silently check nothing.
    """
    for selector in (*select, *ignore, *extend_select):
        if not any(matches(r, selector) for r in rules):
            raise RuleError(f"selector {selector!r} matches no rule")
    if select:
        active = [r for r in rules if any(matches(r, s) for s in select)]
    else:
        active = [r for r in rules if r.enabled]
    active_ids = {r.id for r in active}
    active += [r for r in rules if r.id not in active_ids and any(matches(r, s) for s in extend_select)]
    order = {r.id: i for i, r in enumerate(rules)}
    return sorted((r for r in active if not any(matches(r, s) for s in ignore)), key=lambda r: order[r.id])
