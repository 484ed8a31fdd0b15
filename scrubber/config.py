"""Configuration: one immutable object, validated once at the edge.

Found as ``scrubber.yaml`` / ``.scrubber.yaml`` or ``[tool.scrubber]`` in ``pyproject.toml``,
by walking up from the first path given; command-line flags override it.
"""
from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from scrubber.errors import RuleError, ScrubberError
from scrubber.packs import load_yaml
from scrubber.rules import DEFAULT_TIMEOUT, Rule, load_rules, select_rules, shipped_packs

CONFIG_NAMES = ("scrubber.yaml", ".scrubber.yaml", "scrubber.yml", ".scrubber.yml")
DEFAULT_EXTENSIONS = (".txt", ".md", ".markdown", ".rst", ".text", ".jsonl", ".jsonl.gz", ".jsonl.zst", ".parquet")

_KEYS = {
    "rules": list, "select": list, "ignore": list, "extend-select": list, "per-path-ignores": dict,
    "extensions": list, "exclude": list, "regex-timeout": (int, float), "unsafe-fixes": bool,
    "text-field": str, "id-field": str, "no-default-rules": bool, "baseline": str,
}


@dataclass(frozen=True)
class Config:
    packs: tuple[Path, ...] = ()  # user packs, added to the shipped ones
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_path_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    exclude: tuple[str, ...] = ()
    regex_timeout: float = DEFAULT_TIMEOUT  # per rule and document, for a user's packs; 0: none
    unsafe_fixes: bool = False
    text_field: str = "text"
    id_field: str = "id"
    no_default_rules: bool = False
    baseline: Path | None = None  # findings recorded here are not reported (see --write-baseline)
    source: Path | None = None  # the file this came from, if any

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def rules(self) -> list[Rule]:
        """The active rules (packs are parsed once per process and configuration)."""
        return _active_rules(self.packs, self.no_default_rules, self.regex_timeout, self.select,
                             self.ignore, self.extend_select)

    def all_rules(self) -> list[Rule]:
        return _all_rules(self.packs, self.no_default_rules, self.regex_timeout)


@lru_cache(maxsize=8)
def _all_rules(packs: tuple[Path, ...], no_default: bool, timeout: float) -> list[Rule]:
    paths = ([] if no_default else shipped_packs()) + list(packs)
    rules = load_rules(paths, timeout or None)
    # A user's pack is refused when one of its own examples fails (ours are run by the tests).
    from scrubber.examples import failures

    user = set(map(str, packs))
    for failure in failures([r for r in rules if r.source in user]):
        raise RuleError(f"{failure.rule.id} example{' ' + repr(failure.example.name) if failure.example.name else ''}"
                        f" fails: {failure.problem}", failure.rule.source, failure.example.line)
    return rules


@lru_cache(maxsize=32)
def _active_rules(packs: tuple[Path, ...], no_default: bool, timeout: float, select: tuple[str, ...],
                  ignore: tuple[str, ...], extend_select: tuple[str, ...]) -> list[Rule]:
    return select_rules(_all_rules(packs, no_default, timeout), select, ignore, extend_select)


def _strings(value: Any, key: str, path: str, line: int | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ScrubberError(f"`{key}` must be a list of strings", path, line)
    return tuple(value)


def config_from_mapping(data: Mapping[str, Any], path: Path) -> Config:
    where = str(path)
    line = getattr(data, "line", None)
    if not isinstance(data, Mapping):
        raise ScrubberError("configuration must be a mapping", where)
    for key, value in data.items():
        if key not in _KEYS:
            raise ScrubberError(f"unknown configuration key `{key}` (known: {', '.join(_KEYS)})", where, line)
        if not isinstance(value, _KEYS[key]) or isinstance(value, bool) and _KEYS[key] is not bool:
            raise ScrubberError(f"`{key}` has the wrong type", where, line)
    if data.get("regex-timeout", 0) < 0:
        raise ScrubberError("`regex-timeout` must be 0 (no limit) or more seconds", where, line)
    base = path.parent
    ppi = {}
    for pattern, ids in (data.get("per-path-ignores") or {}).items():
        ppi[str(pattern)] = _strings(ids, f"per-path-ignores.{pattern}", where, line)
    exts = data.get("extensions")
    return Config(
        packs=tuple((base / p).resolve() for p in _strings(data.get("rules", []), "rules", where, line)),
        select=_strings(data.get("select", []), "select", where, line),
        ignore=_strings(data.get("ignore", []), "ignore", where, line),
        extend_select=_strings(data.get("extend-select", []), "extend-select", where, line),
        per_path_ignores=ppi,
        extensions=tuple(e if e.startswith(".") else "." + e for e in _strings(exts, "extensions", where, line))
        if exts is not None else DEFAULT_EXTENSIONS,
        exclude=_strings(data.get("exclude", []), "exclude", where, line),
        regex_timeout=float(data.get("regex-timeout", DEFAULT_TIMEOUT)),
        unsafe_fixes=bool(data.get("unsafe-fixes", False)),
        text_field=data.get("text-field", "text"),
        id_field=data.get("id-field", "id"),
        no_default_rules=bool(data.get("no-default-rules", False)),
        baseline=base / data["baseline"] if data.get("baseline") else None,
        source=path,
    )


def read_config(path: Path) -> Config:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScrubberError(f"cannot read configuration: {exc}", str(path)) from None
    if path.name == "pyproject.toml":
        try:
            data = tomllib.loads(text).get("tool", {}).get("scrubber", {})
        except tomllib.TOMLDecodeError as exc:
            raise ScrubberError(f"invalid TOML: {exc}", str(path)) from None
    else:
        data = load_yaml(text, str(path)) or {}
    return config_from_mapping(data, path.resolve())


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above ``start``; a pyproject counts only with [tool.scrubber]."""
    here = start.resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                if "scrubber" in tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}):
                    return pyproject
            except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
                continue
    return None


def resolve_config(explicit: Path | None, paths: Sequence[str]) -> Config:
    if explicit is not None:
        if not explicit.is_file():
            raise ScrubberError("configuration file not found", str(explicit))
        return read_config(explicit)
    first = next((p for p in paths if p != "-"), ".")
    found = find_config(Path(first))
    return read_config(found) if found else Config()
