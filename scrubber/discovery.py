"""Which files a run covers: paths, folders walked by extension, globs; `.git` and ignores skipped."""
from __future__ import annotations

import fnmatch
import glob
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scrubber.errors import ScrubberError

SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", ".venv", "node_modules", ".scrubber_cache", ".tox"}


@dataclass(frozen=True)
class Target:
    path: Path  # the file on disk
    display: str  # how reports name it: relative to the working directory where possible
    relative: PurePosixPath  # below the folder it was found in: its place under --output-dir


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _gitignore_patterns(folder: Path) -> list[str]:
    """The simple lines of a .gitignore (no negation): cheap, and enough to skip build folders."""
    gi = folder / ".gitignore"
    if not gi.is_file():
        return []
    try:
        lines = gi.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith(("#", "!"))]


def _ignored(rel: str, name: str, patterns: Sequence[str]) -> bool:
    for pat in patterns:
        bare = pat.strip("/")
        if "/" in bare:
            if fnmatch.fnmatch(rel, bare) or fnmatch.fnmatch(rel, bare + "/*"):
                return True
        elif fnmatch.fnmatch(name, bare):
            return True
    return False


def matches_extension(name: str, extensions: Sequence[str]) -> bool:
    lower = name.lower()
    return any(lower.endswith(ext) for ext in extensions)


def walk(root: Path, extensions: Sequence[str], exclude: Sequence[str]) -> Iterator[Path]:
    ignores: dict[Path, list[str]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        ignores[here] = ignores.get(here.parent, []) + _gitignore_patterns(here)
        pats = [*ignores[here], *exclude]
        rel_dir = here.relative_to(root).as_posix()
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not _ignored(
            f"{rel_dir}/{d}".lstrip("./"), d, pats))
        for name in sorted(filenames):
            rel = f"{rel_dir}/{name}".lstrip("./")
            if matches_extension(name, extensions) and not _ignored(rel, name, pats):
                yield here / name


def discover(paths: Sequence[str], extensions: Sequence[str], exclude: Sequence[str] = ()) -> Iterator[Target]:
    """Expand the command line's paths in order; a missing path is an error, not a silent skip."""
    seen: set[Path] = set()
    for arg in paths:
        candidates = [Path(arg)]
        if glob.has_magic(arg):
            candidates = [Path(p) for p in sorted(glob.glob(arg, recursive=True))]
            if not candidates:
                raise ScrubberError("no file matches this pattern", arg)
        for path in candidates:
            if path.is_dir():
                for file in walk(path, extensions, exclude):
                    key = file.resolve()
                    if key not in seen:
                        seen.add(key)
                        yield Target(file, display_path(file), PurePosixPath(file.relative_to(path).as_posix()))
            elif path.exists() or path.is_symlink():
                key = path.resolve()
                if key not in seen:
                    seen.add(key)
                    yield Target(path, display_path(path), PurePosixPath(path.name))
            else:
                raise ScrubberError("no such file or directory", arg)


def output_path(out_dir: Path, relative: PurePosixPath) -> Path:
    """Where a clean copy goes; refuses any path that would land outside ``out_dir``."""
    root = out_dir.resolve()
    parts = [p for p in relative.parts if p not in ("", ".")]
    if any(p == ".." for p in parts) or relative.is_absolute():
        raise ScrubberError(f"output path {relative} would escape --output-dir", str(out_dir))
    dest = root.joinpath(*parts)
    if root not in dest.resolve().parents:
        raise ScrubberError(f"output path {relative} would escape --output-dir", str(out_dir))
    return dest
