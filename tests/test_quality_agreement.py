"""The quality rules drop the same documents as datatrove's filters (where datatrove is installed).

A sample of the evaluation corpus keeps this quick; `python benchmarks/quality_agreement.py` runs
the whole corpus and prints the figures per rule.
"""
from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import ROOT, SHARED

pytest.importorskip("datatrove", reason="datatrove is not installed (pip install datatrove spacy)")
pytest.importorskip("spacy", reason="spacy is not installed (datatrove tokenises English with it)")


def _benchmark():  # the script is not a package module
    spec = importlib.util.spec_from_file_location("quality_agreement", ROOT / "benchmarks" / "quality_agreement.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (SHARED / "eval" / "clean").is_dir(), reason="../shared/eval is not there")
def test_same_decisions_as_datatrove_on_a_sample():
    bench = _benchmark()
    folders = [SHARED / "eval" / "clean", *sorted((SHARED / "eval" / "noisy-real").glob("*"))]
    docs = [doc for folder in folders for doc in bench.documents([folder])[::12]]
    tallies = bench.agreement(docs)
    assert len(tallies) == 31
    differing = {name: t.differ for name, t in tallies.items() if t.differ}
    assert not differing
