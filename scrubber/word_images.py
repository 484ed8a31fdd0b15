"""wordfreq's large lists as word tables that every process maps from one file.

As a dict, a language's list costs each process 0.15-0.4 s to build and 30-80 MB to hold, and a
pool of workers paid that once per worker, in parallel with nothing. Built once per machine into
an *image* (see ``scrubber/_wordtable.c``) in the user's cache folder, the list is mapped
read-only by every process that needs it: the kernel shares the pages, and opening it costs a
check of its layout (milliseconds). The image is derived data, like a ``.pyc``: it is named after
the content of the wordfreq file it comes from, rebuilt when the file fails the check, and the
folder is safe to delete.

Where no cache folder is writable the image is built in memory, in each process; without the C
speed-ups :mod:`scrubber.lexicon` keeps its dict. Either way the table maps the same words to
the same values, in the same order.
"""
from __future__ import annotations

import contextlib
import hashlib
import mmap
import os
import struct
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from scrubber import speedups
from scrubber.errors import ScrubberError
from scrubber.textfile import TEMP_SUFFIX, atomic_write

__all__ = ["IMAGE_SUFFIX", "cache_folder", "open_table"]

IMAGE_SUFFIX = ".words"
_FORMAT = 1  # bump when the image layout or the way words are read changes
_HEADER = struct.Struct("=8Q")  # magic, count, slots, buckets, blob size, three reserved
_MAGIC = struct.unpack("=Q", b"SSCRWT01")[0]  # as _wordtable.c writes it, in native order
_MAX_BUCKETS = 65535
_STALE_DAYS = 30

if speedups.compiled is not None:
    Mapping.register(speedups.compiled.WordTable)  # read-only; keys(), values(), items() are iterators


def cache_folder() -> Path:
    """Where images are kept: ``$XDG_CACHE_HOME/scrubber/words`` (``~/.cache`` by default;
    ``%LOCALAPPDATA%`` on Windows)."""
    base = os.environ.get("XDG_CACHE_HOME") or (os.environ.get("LOCALAPPDATA") if os.name == "nt" else None)
    return (Path(base) if base else Path.home() / ".cache") / "scrubber" / "words"


def open_table(
    source: Path | None,
    buckets: Callable[[], Iterable[tuple[int, list[str]]]],
    value_of: Callable[[int], float],
    folder: Path | None = None,
) -> Mapping[str, float]:
    """The word table of the list in ``source``: mapped from its image when one is cached,
    else built from ``buckets()`` ((index, words) pairs, most frequent first), cached if the
    folder is writable, and returned. Bucket ``i``'s words map to ``value_of(i)``.

    ``source`` None or unreadable (a list read through wordfreq's API, with no file to name
    the image after): built in memory.
    """
    compiled = speedups.compiled
    if compiled is None:
        raise RuntimeError("word tables need scrubber's C speed-ups")
    path = None
    if source is not None:
        try:
            # Named after the list's content (5 ms for the largest): two environments with the same
            # wordfreq share one image, and a new wordfreq gets its own.
            digest = hashlib.sha256(f"{_FORMAT}:".encode() + source.read_bytes()).hexdigest()[:20]
        except OSError:
            pass
        else:
            path = (folder or cache_folder()) / f"{_list_name(source)}-{digest}{IMAGE_SUFFIX}"
            table = _mapped(path, value_of)
            if table is not None:
                return table
    image = compiled.build_word_table(_by_index(buckets()))
    if path is not None:
        _store(path, image)
    return compiled.WordTable(image, _values(image, value_of))


def _list_name(source: Path) -> str:
    return source.name.split(".", 1)[0]  # large_de.msgpack.gz -> large_de


def _by_index(buckets: Iterable[tuple[int, list[str]]]) -> list[list[str]]:
    lists: list[list[str]] = []
    for index, words in buckets:
        while len(lists) < index:
            lists.append([])
        lists.append(list(words))
    return lists


def _values(image: bytes | mmap.mmap, value_of: Callable[[int], float]) -> tuple[float, ...]:
    """The value of each of the image's buckets; none for a header that is not an image's (the
    table then refuses it) or that claims more buckets than an image holds."""
    if len(image) < _HEADER.size:
        return ()
    magic, _, _, buckets, *_ = _HEADER.unpack_from(image)
    if magic != _MAGIC or buckets > _MAX_BUCKETS:
        return ()
    return tuple(value_of(i) for i in range(buckets))


def _mapped(path: Path, value_of: Callable[[int], float]) -> Mapping[str, float] | None:
    """The table over the cached image, or None when there is none or it fails the check (it
    is then rebuilt and replaced)."""
    compiled = speedups.compiled
    assert compiled is not None
    try:
        with open(path, "rb") as fh:
            image = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, unreadable, or empty (mmap refuses an empty file)
        return None
    try:
        return compiled.WordTable(image, _values(image, value_of))
    except ValueError:
        image.close()
        return None


def _store(path: Path, image: bytes) -> None:
    """Writes the image atomically (another process maps the whole file or none of it), and
    removes the images of other versions of the same list made over ``_STALE_DAYS`` ago: an
    environment still on such a version rebuilds its image once, rather than two environments
    removing each other's on every run. Best effort: a read-only home only means each process
    builds its table in memory."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, image)
    except (OSError, ScrubberError):
        return
    prefix = path.name.rsplit("-", 1)[0] + "-"
    now = time.time()
    for old in path.parent.glob(f"{prefix}*{IMAGE_SUFFIX}"):
        if old.name != path.name:
            _remove_if_older(old, now - _STALE_DAYS * 86400)
    for left in path.parent.glob(f".{prefix}*{TEMP_SUFFIX}"):  # writes of killed processes
        _remove_if_older(left, now - 86400)


def _remove_if_older(path: Path, limit: float) -> None:
    with contextlib.suppress(OSError):  # gone already, or mapped elsewhere (Windows)
        if path.stat().st_mtime < limit:
            path.unlink()
