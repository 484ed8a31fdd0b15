"""The cache of results for unchanged inputs, so a pre-commit or CI re-run touches only what changed.

As ruff and black do: an entry is keyed by the input's content hash together with a hash of
everything else that decides the findings (scrubber's version and code, the rule packs' bytes,
the configuration, the rules active for that path). It stores what `check` prints (the findings
of that content), so a warm re-run prints the same output without running a rule; `fix` uses it
to skip inputs whose findings offer nothing to apply. The folder (``.scrubber_cache`` next to the
configuration, else in the working directory; ``SCRUBBER_CACHE_DIR`` overrides) is safe to delete.
Entries are pickles, like black's, written atomically; an unreadable entry is a miss. An input
is hashed again only when its status (inode, size, modification and change times) differs from
the one recorded with its last digest (a stamp, as git's index keeps).
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from scrubber.config import Config

CACHE_DIR_NAME = ".scrubber_cache"
ENV_VAR = "SCRUBBER_CACHE_DIR"
_READ = 1 << 20


# A file whose status changed this recently may change again within the same clock tick, unseen
# by its status: its digest is not recorded (git's "racy" entries).
_SETTLED_NS = 2_000_000_000


@lru_cache(maxsize=4096)
def _file_digest(path: Path, inode: int, size: int, mtime_ns: int, ctime_ns: int) -> str:
    h = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as fh:
        while block := fh.read(_READ):
            h.update(block)
    return h.hexdigest()


def bytes_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """scrubber's version and its own source files: an edit to a kind in a checkout invalidates too."""
    from scrubber import __version__

    h = hashlib.blake2b(__version__.encode(), digest_size=20)
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".json", ".yaml") and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    for dist in ("ftfy", "regex", "wordfreq"):
        try:
            from importlib.metadata import version

            h.update(f"{dist}={version(dist)}".encode())
        except Exception:  # noqa: BLE001 - a missing distribution just is not part of the key
            pass
    return h.hexdigest()


def setup_digest(config: Config) -> str:
    """Everything besides the input that decides the findings."""
    from scrubber.rules import shipped_packs

    h = hashlib.blake2b(_code_fingerprint().encode(), digest_size=20)
    packs = ([] if config.no_default_rules else shipped_packs()) + list(config.packs)
    for pack in packs:
        h.update(str(pack).encode())
        try:
            h.update(pack.read_bytes())
        except OSError:
            pass
    fields = (config.select, config.ignore, config.extend_select, sorted(config.per_path_ignores.items()),
              config.regex_timeout, config.text_field, config.id_field, config.no_default_rules)
    h.update(repr(fields).encode())
    return h.hexdigest()


def cache_root(config: Config) -> Path:
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    base = config.source.parent if config.source is not None else Path.cwd()
    return base / CACHE_DIR_NAME


@dataclass(frozen=True)
class Cache:
    """Picklable: worker processes read and write entries themselves (without the entries
    this process holds between ``peek`` and ``get``)."""

    root: Path
    setup: str
    _held: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        return {"root": self.root, "setup": self.setup, "_held": {}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)

    def file_digest(self, path: Path) -> str:
        """The digest of a file's bytes (equal to ``bytes_digest`` of them), read from a stamp
        when the file's status is the one it had when it was last hashed (as git's index does).

        The stamp is keyed by the path, device, inode (a fix replaces the file, so it gets a new
        one), size, modification time and change time: the kernel sets the change time on every
        write and on every change of the modification time, so content rewritten in place at
        the same size and with its old modification time put back still has a new key. A warm
        re-run of a 100 MB corpus reads a few stamps instead of hashing 100 MB.
        """
        st = path.stat()
        h = hashlib.blake2b(digest_size=20)
        h.update(f"{path.resolve()}\0{st.st_dev}\0{st.st_ino}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}".encode())
        name = h.hexdigest()
        stamp = self.root / "stat" / name[:2] / name
        try:
            digest = stamp.read_text(encoding="ascii")
            if len(digest) == 40:
                return digest
        except (OSError, UnicodeDecodeError):
            pass
        digest = _file_digest(path, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) >= _SETTLED_NS:
            self._write(stamp, digest.encode("ascii"))
        return digest

    def key(self, digest: str, rule_ids: Sequence[str], kind: str) -> str:
        h = hashlib.blake2b(digest_size=20)
        h.update("\0".join((self.setup, kind, digest, ",".join(rule_ids))).encode())
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / "v1" / key[:2] / key

    def get(self, key: str) -> Any | None:
        held = self._held.pop(key, None)
        if held is not None:
            return held
        try:
            with open(self._path(key), "rb") as fh:
                return pickle.load(fh)
        except Exception:  # noqa: BLE001 - a missing, partial or stale entry is only a miss
            return None

    def peek(self, key: str) -> Any | None:
        """``get``, keeping the entry for the next ``get`` of the same key (read once, used twice)."""
        value = self.get(key)
        if value is not None:
            self._held[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self._write(self._path(key), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def _write(self, path: Path, data: bytes) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._mark()
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            pass  # a read-only tree just runs uncached

    def _mark(self) -> None:
        """A .gitignore of ``*`` (as ruff does), so the folder never ends up in a commit."""
        gi = self.root / ".gitignore"
        if not gi.exists():
            try:
                gi.write_text("# Created by scrubber; safe to delete.\n*\n", encoding="utf-8")
            except OSError:
                pass


def open_cache(config: Config, enabled: bool = True) -> Cache | None:
    if not enabled:
        return None
    return Cache(cache_root(config).resolve(), setup_digest(config))
