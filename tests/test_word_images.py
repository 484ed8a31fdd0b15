"""Word tables mapped from a cached image: the same mapping as the dict they replace, built once,
shared through a file, and rebuilt (never trusted) when that file is damaged or stale."""
from __future__ import annotations

import mmap
import os
import random
import struct
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import needs_c
from scrubber import lexicon, speedups, word_images

pytestmark = needs_c

BUCKETS: list[tuple[int, list[str]]] = [
    (0, ["the", "of"]),
    (1, []),
    (3, ["straße", "naïve", "東京", "the"]),  # index 2 is missing; ``the`` is listed twice
    (4, ["a" * 300, "x"]),
]


def value_of(index: int) -> float:
    return round(9.0 - index / 100.0, 2)


def as_dict(buckets: list[tuple[int, list[str]]]) -> dict[str, float]:
    """What lexicon builds without the C speed-ups."""
    table: dict[str, float] = {}
    for index, words in buckets:
        table.update((w, value_of(index)) for w in words)
    return table


def source_file(tmp_path: Path, name: str = "large_xx.msgpack.gz") -> Path:
    path = tmp_path / name
    path.write_bytes(b"stands for a wordfreq list")
    return path


def refusing() -> Iterator[tuple[int, list[str]]]:
    raise AssertionError("the table was built again instead of mapped")
    yield  # pragma: no cover


def test_the_table_is_the_dict_it_replaces(tmp_path: Path) -> None:
    table = word_images.open_table(None, lambda: iter(BUCKETS), value_of)
    expected = as_dict(BUCKETS)
    assert isinstance(table, Mapping)
    assert len(table) == len(expected) == 7
    assert list(table) == list(expected) == list(table.keys())  # first place kept for ``the``
    assert list(table.values()) == list(expected.values())
    assert list(table.items()) == list(expected.items())
    for word in [*expected, "The", "straÃŸe", "", "\ud800", "東", "a" * 299]:
        assert table.get(word, 0.0) == expected.get(word, 0.0), word
        assert (word in table) == (word in expected)
    assert table.get("missing") is None
    assert table["naïve"] == 8.97
    with pytest.raises(KeyError):
        table["missing"]
    assert 3 not in table and table.get(3, -1.0) == -1.0  # not a str: never listed


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.text(max_size=6), max_size=8), max_size=6),
    st.lists(st.text(max_size=6), max_size=10),
)
def test_any_lists_map_as_a_dict_would(lists: list[list[str]], probes: list[str]) -> None:
    buckets = list(enumerate(lists))
    table = word_images.open_table(None, lambda: iter(buckets), value_of)
    expected = as_dict(buckets)
    assert list(table.items()) == list(expected.items())
    for word in probes + list(expected):
        assert table.get(word) == expected.get(word)


def test_a_real_list_maps_every_word_to_its_frequency() -> None:
    table = lexicon.zipf_table("pt")
    expected = as_dict(list(lexicon._buckets("pt", "large")))
    assert len(table) == len(expected)
    assert list(table) == list(expected)
    words = random.Random(5).sample(list(expected), 3000)
    assert [table.get(w, 0.0) for w in words] == [expected[w] for w in words]
    assert table.get("zzqqxx", 0.0) == 0.0


def test_the_image_is_built_once_then_mapped(tmp_path: Path) -> None:
    source = source_file(tmp_path)
    cache = tmp_path / "cache"
    first = word_images.open_table(source, lambda: iter(BUCKETS), value_of, folder=cache)
    images = list(cache.iterdir())
    assert [p.name.startswith("large_xx-") and p.suffix == word_images.IMAGE_SUFFIX for p in images] == [True]
    again = word_images.open_table(source, refusing, value_of, folder=cache)
    assert list(again.items()) == list(first.items())
    before = images[0].stat().st_mtime_ns
    word_images.open_table(source, refusing, value_of, folder=cache)
    assert images[0].stat().st_mtime_ns == before  # a mapped image is never rewritten


def test_a_changed_list_gets_its_own_image_and_old_images_go_in_time(tmp_path: Path) -> None:
    source = source_file(tmp_path)
    cache = tmp_path / "cache"
    word_images.open_table(source, lambda: iter(BUCKETS), value_of, folder=cache)
    first = next(cache.iterdir())
    source.write_bytes(b"another wordfreq list")
    table = word_images.open_table(source, lambda: iter([(0, ["new"])]), value_of, folder=cache)
    assert list(table) == ["new"]
    # Another environment may still use the first version: a recent image stays.
    second = {p for p in cache.iterdir()} - {first}
    assert first.exists() and len(second) == 1
    old = first.stat().st_mtime - 40 * 86400
    os.utime(first, (old, old))
    killed = cache / f".{first.name}.abc.scrubber-tmp"  # a write that a killed process left
    killed.write_bytes(b"half an image")
    os.utime(killed, (old, old))
    source.write_bytes(b"a third wordfreq list")
    word_images.open_table(source, lambda: iter([(0, ["third"])]), value_of, folder=cache)
    assert not first.exists() and not killed.exists()
    assert second <= set(cache.iterdir()) and len(list(cache.iterdir())) == 2


def test_two_environments_with_the_same_list_share_one_image(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    here, there = tmp_path / "venv1", tmp_path / "venv2"
    here.mkdir()
    there.mkdir()
    word_images.open_table(source_file(here), lambda: iter(BUCKETS), value_of, folder=cache)
    table = word_images.open_table(source_file(there), refusing, value_of, folder=cache)
    assert list(table.items()) == list(as_dict(BUCKETS).items())
    assert len(list(cache.iterdir())) == 1


@pytest.mark.parametrize("damage", ["empty", "truncated", "garbage", "bad slot", "bad offsets"])
def test_a_damaged_image_is_rebuilt_not_trusted(tmp_path: Path, damage: str) -> None:
    source = source_file(tmp_path)
    cache = tmp_path / "cache"
    word_images.open_table(source, lambda: iter(BUCKETS), value_of, folder=cache)
    image = next(cache.iterdir())
    data = bytearray(image.read_bytes())
    count, slots = struct.unpack_from("=2Q", data, 8)
    if damage == "empty":
        data = bytearray()
    elif damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "garbage":
        data = bytearray(os.urandom(len(data)))
    elif damage == "bad slot":
        slots_at = len(data) - 4 * slots - struct.unpack_from("=Q", data, 32)[0]
        struct.pack_into("=I", data, slots_at, count + 5)  # points past the last word
    else:
        struct.pack_into("=I", data, 64 + 4, 1 << 30)  # the second word starts past the blob
    image.write_bytes(bytes(data))
    rebuilt = word_images.open_table(source, lambda: iter(BUCKETS), value_of, folder=cache)
    assert list(rebuilt.items()) == list(as_dict(BUCKETS).items())
    assert word_images.open_table(source, refusing, value_of, folder=cache)["x"] == 8.96


def test_a_read_only_cache_folder_only_costs_time(tmp_path: Path) -> None:
    source = source_file(tmp_path)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    table = word_images.open_table(source, lambda: iter(BUCKETS), value_of, folder=blocked / "words")
    assert list(table.items()) == list(as_dict(BUCKETS).items())
    assert blocked.read_text() == "a file where the cache folder would go"


def test_a_list_without_a_file_is_built_in_memory(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    table = word_images.open_table(tmp_path / "large_xx.msgpack.gz", lambda: iter(BUCKETS), value_of, folder=cache)
    assert list(table.items()) == list(as_dict(BUCKETS).items())
    assert not cache.exists()


def test_the_cache_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert word_images.cache_folder() == tmp_path / "scrubber" / "words"


def test_the_table_checks_what_it_is_given() -> None:
    compiled = speedups.compiled
    image = compiled.build_word_table([["a", "b"], ["c"]])
    values = (1.0, 2.0)
    assert dict(compiled.WordTable(image, values).items()) == {"a": 1.0, "b": 1.0, "c": 2.0}
    assert len(compiled.WordTable(mmap_of(image), values)) == 3
    with pytest.raises(ValueError, match="too few values"):
        compiled.WordTable(image, (1.0,))
    with pytest.raises(ValueError, match="not an image"):
        compiled.WordTable(b"\0" * len(image), values)
    with pytest.raises(ValueError, match="size"):
        compiled.WordTable(image + b"\0\0\0\0\0\0\0\0", values)
    with pytest.raises(TypeError):
        compiled.build_word_table([["a", 1]])
    with pytest.raises(TypeError):
        compiled.build_word_table([("a",)])
    empty = compiled.WordTable(compiled.build_word_table([]), ())
    assert len(empty) == 0 and list(empty) == [] and "a" not in empty


def mmap_of(data: bytes) -> mmap.mmap:
    mapped = mmap.mmap(-1, len(data))
    mapped.write(data)
    return mapped
