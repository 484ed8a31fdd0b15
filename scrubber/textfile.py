"""Text files as bytes on disk and as text for rules: decode, remember the layout, write back.

What a fix must keep is recorded at read time (encoding, BOM, newline style, final newline is
kept by the text itself) so that writing back changes exactly the fixed characters.
"""
from __future__ import annotations

import codecs
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from scrubber.errors import ScrubberError

BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# A text file is checked as one document, held whole in memory (its bytes, its text, its lines and
# a fixed copy: some 10 to 15 times its size). Above this it is refused, not half-processed;
# record corpora (JSONL, Parquet) are streamed and have no such limit.
MAX_TEXT_BYTES = 512 * 1024 * 1024


class NotText(Exception):
    """The file looks binary: skipped with a note, not an error."""


class DecodeFailure(ScrubberError):
    """The file is not valid in its encoding: reported with the byte offset and left alone."""


@dataclass(frozen=True)
class Layout:
    encoding: str
    bom: bytes
    newline: str  # "\n", "\r\n" or "\r": the file's dominant style, restored on write


@dataclass(frozen=True)
class TextFile:
    path: Path
    raw: bytes
    text: str  # newlines normalised to "\n"
    layout: Layout

    def encode(self, text: str) -> bytes:
        if not self.layout.bom and text.startswith("\ufeff"):
            # A fix that dropped what stood before a stray U+FEFF left it first: written so, it
            # would be read back as a BOM the file never had. Invisible either way; it goes.
            text = text.lstrip("\ufeff")
        if self.layout.newline != "\n":
            text = text.replace("\n", self.layout.newline)
        return self.layout.bom + text.encode(self.layout.encoding)


def looks_binary(raw: bytes) -> bool:
    head = raw[:8192]
    if not head:
        return False
    nul = head.count(0)
    # One stray NUL in a text is an artifact to report; many are a binary format.
    return nul > 8 and nul / len(head) > 0.01


def decode(raw: bytes, path: str) -> tuple[str, Layout]:
    bom, encoding = b"", "utf-8"
    for mark, enc in BOMS:
        if raw.startswith(mark):
            bom, encoding = mark, enc
            break
    if not bom and looks_binary(raw):
        raise NotText(path)
    try:
        text = raw[len(bom):].decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeFailure(f"not valid {encoding.upper()} at byte {exc.start + len(bom)}: "
                            f"{exc.object[exc.start:exc.start + 4]!r}; file left unchanged", path) from None
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    newline = "\r\n" if crlf > max(lf, cr) else "\r" if cr > max(lf, crlf) else "\n"
    if crlf or cr:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, Layout(encoding, bom, newline)


def read_text_file(path: Path, display: str | None = None) -> TextFile:
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise ScrubberError(f"{size / 2**20:.0f} MB is more than the {MAX_TEXT_BYTES // 2**20} MB read as one "
                                f"text; split it, or make it JSONL records (streamed); left alone", name)
        raw = path.read_bytes()
    except FileNotFoundError:
        if path.is_symlink():
            raise ScrubberError(f"broken symbolic link (to {os.readlink(path)}); left alone", name) from None
        raise ScrubberError("no such file", name) from None
    except IsADirectoryError:
        raise ScrubberError("is a directory", name) from None
    except OSError as exc:
        raise ScrubberError(f"cannot read: {exc.strerror}", name) from None
    text, layout = decode(raw, name)
    return TextFile(path, raw, text, layout)


def new_file_mode() -> int:
    """0666 less the umask: the mode a plain ``open(path, "w")`` would create."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


TEMP_SUFFIX = ".scrubber-tmp"  # of the temp files a write makes beside its target


def atomic_write(path: Path, data: bytes, expected: bytes | None = None, display: str | None = None) -> None:
    """Write via a temp file beside ``path`` and ``os.replace``: readers see old or new, never half.

    With ``expected``, refuse when the file on disk no longer holds those bytes (it changed since
    it was read). The original's permission bits are kept; a symlink is followed, so the link
    stays a link and its target is updated.
    """
    name = display or str(path)
    target = path.resolve() if path.is_symlink() else path
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    if expected is not None:
        try:
            current = target.read_bytes()
        except OSError:
            raise ScrubberError("file vanished before it could be rewritten; left alone", name) from None
        if current != expected:
            raise ScrubberError("file changed since it was read; left alone", name)
    # The mode bits, not os.access: as root every file is "accessible", but a user who made a file
    # read-only meant it.
    if st is not None and (not st.st_mode & 0o222 or not os.access(target, os.W_OK)):
        raise ScrubberError("file is read-only; left unchanged", name)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes 0600 files: a new file (in --output-dir) gets what open() would give it.
        os.chmod(tmp, stat.S_IMODE(st.st_mode) if st is not None else new_file_mode())
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise ScrubberError(f"cannot write: {exc.strerror}; original left unchanged", name) from None
        raise
