"""Coverage-guided fuzzing of the file decoder and the fixer (atheris / libFuzzer).

Each input is the raw bytes of a file. It goes through what ``scrubber fix`` does to a file:
``textfile.decode`` (BOM, encoding, binary sniffing, newline style), then ``fix_text`` with the
default rules, and with every rule but the quality metrics plus unsafe fixes, then
``TextFile.encode`` back to bytes. A crash is any exception other than the documented refusals
(binary file, invalid encoding), or a broken promise: an edit outside the text, a fix that does
not settle or is not idempotent, a fixable finding left after the fix, or bytes that do not
decode back to the fixed text in the file's encoding, with its BOM.

Run (bounded; ``-max_total_time`` is in seconds; seeds are optional)::

    pip install atheris
    mkdir -p build/fuzz-corpus && cp ../shared/eval/clean/*.txt build/fuzz-corpus/
    python fuzz/fuzz_fix.py build/fuzz-corpus -max_total_time=600 -max_len=4096 -rss_limit_mb=2048

A crasher is written to ``crash-<sha1>`` in the working directory; replay it with
``python fuzz/fuzz_fix.py crash-<sha1>`` and turn it into a test in tests/test_properties.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["scrubber"]):
    import scrubber
    from scrubber.config import Config
    from scrubber.textfile import DecodeFailure, NotText, TextFile, decode

# The default rules, and every rule with unsafe fixes except the quality metrics, which never
# propose an edit (and are slow on long punctuation runs: see the xfail in tests/test_faults.py).
CONFIGS = ((Config(), False), (Config(select=("ALL",), ignore=("Q",)), True))


def check_one(data: bytes) -> None:
    try:
        text, layout = decode(data, "fuzz")
    except (NotText, DecodeFailure):
        return
    for config, unsafe in CONFIGS:
        result = scrubber.fix_text(text, config, unsafe=unsafe)
        for f in result.findings:
            assert 0 <= f.start <= f.end <= len(text), f
            assert f.edit is None or 0 <= f.edit.start <= f.edit.end <= len(text), f
        assert result.converged, ("fixes did not settle", text)
        # ``remaining`` is a fresh check of the fixed text.
        left = [f for f in result.remaining if f.applicable(unsafe)]
        assert not left, ("fixable finding after fix", text, left)
        again = scrubber.fix_text(result.text, config, unsafe=unsafe)
        assert again.text == result.text, ("not idempotent", text, result.text, again.text)
        written = TextFile(Path("fuzz"), data, text, layout).encode(result.text)
        reread, reread_layout = decode(written, "fuzz")
        # A U+FEFF that a fix left first in a file without a BOM is dropped on write (see TextFile.encode).
        assert reread == (result.text if layout.bom else result.text.lstrip("\ufeff")), ("round trip", data)
        assert (reread_layout.encoding, reread_layout.bom) == (layout.encoding, layout.bom), ("encoding", data)


def main() -> None:
    atheris.Setup(sys.argv, check_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
