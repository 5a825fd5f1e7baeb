"""The CSV reader's columnar fast path gives what the value-by-value paths give: across chunk
boundaries, with odd values, with hash collisions, with rows out of order."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from _mining_kit import simulated_log, without_waits
from hypothesis import given, settings
from hypothesis import strategies as st

from service_blueprint.errors import LoadError
from service_blueprint.mining import csv_reader, field_index
from service_blueprint.mining.byte_fields import Fields
from service_blueprint.mining.eventlog import EventLog, LogBuilder
from service_blueprint.mining.read import read_log

COLUMNS = ("case", "activity", "resource", "role", "lane", "start", "end", "offset")
NAMES = ("cases", "activities", "resources", "roles", "lanes")


def same_log(a: EventLog, b: EventLog) -> None:
    for name in NAMES:
        assert getattr(a, name) == getattr(b, name), name
    for name in COLUMNS:
        assert getattr(a, name).tolist() == getattr(b, name).tolist(), name
    assert a.dropped == b.dropped


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return simulated_log(without_waits("bike-repair-current"), tmp_path_factory.mktemp("fast") / "e.csv", days=2)


def test_small_chunks_read_the_same(simulated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = read_log(simulated)
    monkeypatch.setattr(csv_reader, "CHUNK_BYTES", 300)
    same_log(read_log(simulated), whole)


def test_the_value_by_value_path_reads_the_same(simulated: Path, tmp_path: Path) -> None:
    """A quote anywhere sends the file through the csv module: the same log."""
    quoted = tmp_path / "q.csv"
    lines = simulated.read_text().splitlines()
    head, first = lines[0], lines[1].split(",")
    first[1] = f'"{first[1]}"'
    quoted.write_text("\n".join([head, ",".join(first), *lines[2:]]) + "\n")
    same_log(read_log(quoted), read_log(simulated))


def test_bad_timestamp_in_a_later_chunk_names_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [f"{k // 3},a{k % 3},2024-01-{1 + k // 40:02d}T10:{k % 60:02d}:00.5" for k in range(200)]
    rows[150] = "50,a0,2023-02-29T10:00:00.5"
    p = tmp_path / "bad.csv"
    p.write_text("case,activity,time\n" + "\n".join(rows) + "\n")
    monkeypatch.setattr(csv_reader, "CHUNK_BYTES", 500)
    with pytest.raises(LoadError, match=r"line 152: cannot read the end time: '2023-02-29T10:00:00.5' is not an "
                                        r"ISO 8601 timestamp"):
        read_log(p)


def test_empty_or_blank_start_means_one_timestamp(tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    p.write_text("case,activity,start,end\n"
                 "1,a,2024-01-01T09:00:00,2024-01-01T09:05:00\n"
                 "1,b,,2024-01-01T09:06:00\n"
                 "1,c,   ,2024-01-01T09:07:00\n"
                 "1,d,2024-01-01 09:07:30.25,2024-01-01T09:08:00\n")
    log = read_log(p)
    assert (log.end - log.start).tolist() == [300.0, 0.0, 0.0, 29.75]


def test_mixed_lengths_and_zones_in_one_column(tmp_path: Path) -> None:
    stamps = ["2024-03-31T01:59:59", "2024-03-31T03:00:00.5+02:00", "2024-03-31T01:00:00.123456Z",
              "2024-03-31 02:00:00.1234567-01:30", "2024-03-31T04:00"]
    p = tmp_path / "z.csv"
    p.write_text("case,activity,time\n" + "".join(f"1,a{k},{s}\n" for k, s in enumerate(stamps)))
    log = read_log(p)
    epoch = datetime(1970, 1, 1)
    expected = []
    for s in stamps:
        dt = datetime.fromisoformat(s)
        off = dt.utcoffset() or timedelta(0)
        expected.append(((dt.replace(tzinfo=None) - off - epoch) / timedelta(seconds=1), int(off.total_seconds())))
    got = sorted(zip(log.end.tolist(), log.offset.tolist(), strict=True))
    assert got == sorted(expected)


def test_rows_out_of_order_are_sorted(simulated: Path, tmp_path: Path) -> None:
    lines = simulated.read_text().splitlines()
    body = lines[1:]
    np.random.default_rng(1).shuffle(body)
    shuffled = tmp_path / "s.csv"
    shuffled.write_text("\n".join([lines[0], *body]) + "\n")
    a, b = read_log(simulated), read_log(shuffled)
    assert np.lexsort((b.end, b.start, b.case)).tolist() == list(range(len(b)))

    def rows(log: EventLog) -> list[tuple[str, str, float, float]]:
        return sorted(zip((log.cases[c] for c in log.case), (log.activities[x] for x in log.activity),
                          log.start.tolist(), log.end.tolist(), strict=True))

    assert rows(a) == rows(b)


values = st.lists(st.one_of(st.sampled_from([b"", b" ", b"a", b"a ", b"Greet", b"\xc3\xa9t\xc3\xa9", b"x" * 70]),
                            st.binary(max_size=20).filter(lambda v: b"," not in v)), max_size=40)


def intern_both_ways(chunks: list[list[bytes]]) -> tuple[list[list[int]], list[list[int]], LogBuilder, LogBuilder]:
    fast, slow = LogBuilder(), LogBuilder()
    got_fast, got_slow = [], []
    for chunk in chunks:
        fields = Fields.of(chunk)
        got_fast.append(fast.intern("activity", fields if fields is not None else chunk).tolist())
        got_slow.append(slow.intern("activity", chunk).tolist())
    return got_fast, got_slow, fast, slow


@settings(max_examples=200, deadline=None)
@given(st.lists(values, min_size=1, max_size=4))
def test_interning_by_key_equals_interning_by_value(chunks: list[list[bytes]]) -> None:
    got_fast, got_slow, fast, slow = intern_both_ways(chunks)
    assert got_fast == got_slow
    assert fast._names == slow._names


@settings(max_examples=50, deadline=None)
@given(st.lists(values, min_size=1, max_size=3))
def test_hash_collisions_never_merge_values(chunks: list[list[bytes]]) -> None:
    """With every key equal, the check of each row against its value catches it."""
    real = field_index._hash
    field_index._hash = lambda words, lengths: np.zeros(len(lengths), dtype=np.uint64)
    try:
        got_fast, got_slow, _, _ = intern_both_ways(chunks)
    finally:
        field_index._hash = real
    assert got_fast == got_slow
