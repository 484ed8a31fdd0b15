"""Ray Data (scrubber[ray]): on a local Ray instance, the same texts and findings as the local engine."""
from __future__ import annotations

import json

import pytest

ray = pytest.importorskip("ray", reason="Ray is the optional extra scrubber[ray]")
pytest.importorskip("ray.data", reason="Ray Data is part of the optional extra scrubber[ray]")

from scale_helpers import run_main  # noqa: E402
from scrubber import engine  # noqa: E402
from scrubber.config import Config  # noqa: E402
from scrubber.ray import FINDINGS_COLUMN, from_row, scrub_dataset  # noqa: E402

DIRTY = "Hello\u200bworld  \n\n\n\nnext line\n"
TEXTS = [DIRTY, "A clean paragraph.\n", "Zero\u200bwidth café\r\nand a CRLF line  \r\n", "", DIRTY * 3]
# Ray's own DataContext warns about its deprecated settings whenever it is read.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SELECT = ("SCR1", "SCR2")  # quick packs: the point is the plumbing, not the rules


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    ray.data.DataContext.get_current().execution_options.preserve_order = True
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield ray
    ray.shutdown()


def test_scrub_dataset_matches_the_engine(local_ray):
    config = Config(select=SELECT)
    rules = config.rules()
    items = [{"id": i, "text": t, "keep": i * 2} for i, t in enumerate(TEXTS * 4)]
    ds = ray.data.from_items(items, override_num_blocks=2)
    for fix in (False, True):
        rows = scrub_dataset(ds, config, fix=fix, batch_size=8).take_all()
        assert [r["id"] for r in rows] == [it["id"] for it in items]
        for row, item in zip(rows, items):
            assert row["keep"] == item["keep"]
            text = item["text"].replace("\r\n", "\n")
            if fix:
                result = engine.fix(text, rules)
                want_text = result.text.replace("\n", "\r\n") if "\r\n" in item["text"] and result.changed \
                    else (result.text if result.changed else item["text"])
                want = result.remaining
                assert row["text"] == want_text
            else:
                want = engine.check(text, rules)
                assert row["text"] == item["text"]
            assert [from_row(f) for f in row[FINDINGS_COLUMN]] == want


def test_cli_engine_ray_prints_and_writes_what_the_local_engine_does(local_ray, tmp_path):
    recs = [{"id": f"d{i}", "text": t, "n": i} for i, t in enumerate(TEXTS * 4)]
    (tmp_path / "s.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    common = ("--no-cache", "--select", ",".join(SELECT), "--output-format", "json")
    local = run_main("check", *common, "s.jsonl", cwd=tmp_path)
    remote = run_main("check", *common, "--engine", "ray", "s.jsonl", cwd=tmp_path)
    assert remote.returncode == local.returncode == 1, remote.stderr
    assert json.loads(remote.stdout) == json.loads(local.stdout)

    assert run_main("fix", *common, "--output-dir", "local", "s.jsonl", cwd=tmp_path).returncode == 0
    proc = run_main("fix", *common, "--engine", "ray", "--output-dir", "ray", "s.jsonl", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    want = [json.loads(x) for x in (tmp_path / "local" / "s.jsonl").read_text(encoding="utf-8").splitlines()]
    got = [json.loads(x) for f in sorted((tmp_path / "ray").rglob("*.json*"))
           for x in f.read_text(encoding="utf-8").splitlines()]
    assert sorted(got, key=lambda r: r["n"]) == want


def test_cli_engine_ray_needs_an_output_dir_to_fix(local_ray, tmp_path):
    (tmp_path / "s.jsonl").write_text(json.dumps({"text": DIRTY}) + "\n", encoding="utf-8")
    proc = run_main("fix", "--engine", "ray", "s.jsonl", cwd=tmp_path)
    assert proc.returncode == 2 and b"--output-dir" in proc.stderr
