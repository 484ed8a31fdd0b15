"""Snapshots of whole outputs on the seed documents: the fixed text, the unsafe fix and the report.

The user's own seed has a hand-made expected output (`000_….clean.txt`); for the documents we
wrote, the snapshots were read by eye when made. `SCRUBBER_UPDATE_SNAPSHOTS=1 pytest` rewrites
them after an intended change (then read the diff in review).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import scrubber
from conftest import ROOT, run_cli

SEEDS = sorted(p for p in (ROOT / "seeds").iterdir() if p.is_file())
SNAP = ROOT / "tests" / "snapshots"
UPDATE = os.environ.get("SCRUBBER_UPDATE_SNAPSHOTS") == "1"
USER_SEED = ROOT / "seeds" / "000_5f9d73fb92ff69d0.txt"


def snapshot(name: str, actual: str) -> None:
    path = SNAP / name
    if UPDATE or not path.exists():
        path.write_text(actual, encoding="utf-8", newline="")
        if not UPDATE:
            pytest.fail(f"snapshot {name} was missing and has been written: read it, then re-run")
    assert actual == path.read_text(encoding="utf-8")


def test_the_users_seed_is_repaired_exactly():
    proc = run_cli("fix", "-", stdin=USER_SEED.read_bytes())
    assert proc.returncode == 1, proc.stderr  # the caption and dateline remain: unsafe fixes only
    assert b"SCR413" in proc.stderr and b"SCR401" in proc.stderr
    assert proc.stdout.decode() == (SNAP / "000_5f9d73fb92ff69d0.clean.txt").read_text(encoding="utf-8")


def test_the_clean_seed_has_no_fixable_finding():
    clean = (SNAP / "000_5f9d73fb92ff69d0.clean.txt").read_text(encoding="utf-8")
    assert [f for f in scrubber.check_text(clean) if f.applicable(False)] == []


def test_unsafe_fixes_also_drop_the_caption_and_the_dateline():
    text = USER_SEED.read_text(encoding="utf-8")
    safe = scrubber.fix_text(text).text
    unsafe = scrubber.fix_text(text, unsafe=True).text
    assert "(AFP)" in safe and "Updated 28 October 2017" in safe
    assert "(AFP)" not in unsafe and "Updated 28 October 2017" not in unsafe
    assert unsafe == safe.replace(
        "An Iraqi family sits on the rubble of their home in the village of Barzan in the Zummar area of "
        "Nineveh province, northwest of Mosul, on Friday. (AFP)\nUpdated 28 October 2017\n\n", "")


@pytest.mark.parametrize("seed", SEEDS, ids=[p.name for p in SEEDS])
def test_seed_snapshots(seed: Path):
    text = seed.read_text(encoding="utf-8")
    fixed = scrubber.fix_text(text)
    snapshot(f"{seed.name}.fixed", fixed.text)
    snapshot(f"{seed.name}.unsafe-fixed", scrubber.fix_text(text, unsafe=True).text)
    assert scrubber.fix_text(fixed.text).text == fixed.text  # idempotent
    proc = run_cli("check", seed.name, cwd=seed.parent)
    snapshot(f"{seed.name}.check", proc.stdout.decode())
