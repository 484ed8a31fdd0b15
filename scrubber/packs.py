"""Reading rule packs: YAML with line numbers, validated against the pack schema.

Every error names ``file:line``; a pack with any error is refused whole, so nothing is ever
checked with a half-loaded rule set.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent

from scrubber.errors import RuleError

MAX_PACK_BYTES = 5_000_000


class LinedDict(dict):
    """A mapping that remembers the line where it started in its YAML file."""

    line: int = 0


class LinedList(list):
    line: int = 0
    item_lines: list[int]


class _PackLoader(yaml.SafeLoader):
    """``SafeLoader`` that records line numbers and refuses aliases (no YAML bombs)."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError("while reading a rule pack", None,
                                       "aliases (*name) are not allowed in rule packs", event.start_mark)
        return super().compose_node(parent, index)


def _construct_map(loader: _PackLoader, node: yaml.MappingNode):  # type: ignore[no-untyped-def]
    data = LinedDict()
    data.line = node.start_mark.line + 1
    yield data
    data.update(loader.construct_mapping(node, deep=True))


def _construct_seq(loader: _PackLoader, node: yaml.SequenceNode):  # type: ignore[no-untyped-def]
    data = LinedList()
    data.line = node.start_mark.line + 1
    data.item_lines = [item.start_mark.line + 1 for item in node.value]
    yield data
    data.extend(loader.construct_sequence(node, deep=True))


_PackLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_PackLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)

# The shipped packs are ours and tested: libyaml parses them ten times faster. Never a user's
# pack: libyaml recurses without limit and crashes the process on `[[[[...` nested deeply.
_TrustedPackLoader: Any = None
if hasattr(yaml, "CSafeLoader"):
    class _TrustedPackLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        pass

    _TrustedPackLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    _TrustedPackLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def load_yaml(text: str, path: str, trusted: bool = False) -> Any:
    loader = _TrustedPackLoader if trusted and _TrustedPackLoader is not None else _PackLoader
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - SafeLoader subclasses
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise RuleError(f"invalid YAML: {exc.problem or exc.context}", path, line) from None
    except yaml.YAMLError as exc:
        raise RuleError(f"invalid YAML: {exc}", path) from None
    except RecursionError:
        # PyYAML parses nesting by recursion: `[[[[...` thousands deep is a bomb of its own.
        raise RuleError("invalid YAML: nested too deeply", path) from None


@lru_cache(maxsize=1)
def pack_schema() -> dict[str, Any]:
    return json.loads(resources.files("scrubber").joinpath("pack.schema.json").read_text(encoding="utf-8"))


def line_of(data: Any, path: tuple[Any, ...]) -> int | None:
    """The line of the deepest node along ``path`` that knows its line."""
    line = getattr(data, "line", None)
    node = data
    for key in path:
        if isinstance(node, LinedList) and isinstance(key, int) and key < len(node.item_lines):
            line = node.item_lines[key]
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        line = getattr(node, "line", None) or line
    return line


def read_pack(path: Path, trusted: bool = False) -> Any:
    """Parse and schema-check one pack file; returns the raw (line-annotated) data.
    ``trusted``: one of the shipped packs (see ``load_yaml``)."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleError(f"cannot read rule pack: {exc.strerror}", name) from None
    if len(raw) > MAX_PACK_BYTES:
        raise RuleError(f"rule pack is larger than {MAX_PACK_BYTES} bytes", name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleError(f"rule pack is not valid UTF-8 (byte {exc.start})", name) from None
    data = load_yaml(text, name, trusted)
    if trusted:
        return data  # the test suite validates the shipped packs (tests/test_packs.py)
    import jsonschema  # a tenth of a second to import: only for a user's pack

    validator = jsonschema.Draft202012Validator(pack_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        err = errors[0]
        where = ".".join(str(p) for p in err.absolute_path) or "pack"
        raise RuleError(f"{where}: {err.message}", name, line_of(data, tuple(err.absolute_path)))
    return data
