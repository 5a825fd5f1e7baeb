"""Interning a column of byte fields with NumPy: each distinct value goes through Python once.

A log has hundreds of thousands of rows but few distinct activities and resources, and its cases
come in runs. Each value gets a 64-bit key from its length and its words
(:meth:`.byte_fields.Fields.words`); a run of equal keys is looked up once; known keys are found
by binary search in a sorted table; new ones are handed to the caller in order of first
appearance, so the indices are the ones the value-by-value path gives. Then every row is compared,
length and words, with the value its key stands for: a hash collision can never merge two values,
it only sends the chunk the value-by-value way. So do values longer than ``8 * MAX_WORDS`` bytes.
A column of values up to 8 bytes long, in a chunk without NUL bytes, needs neither hash nor
check: the word itself is the key.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from .byte_fields import Fields, Words

IntArray = NDArray[np.int32]
MAX_WORDS = 8
_MIX = (np.uint64(0x9E37_79B9_7F4A_7C15), np.uint64(0xBF58_476D_1CE4_E5B9), np.uint64(31))


class FieldIndex:
    """The values of one kind seen so far: one table by exact key, one by hash."""

    def __init__(self) -> None:
        self._exact = _Table()
        self._hashed = _Table()

    def lookup(self, fields: Fields, new: Callable[[list[bytes]], list[int]]) -> IntArray | None:
        """The index of every value; ``new(values)`` gives the indices of values not seen here
        before. ``None`` when the column must go value by value (long values, a collision)."""
        n = len(fields)
        lengths = fields.lengths
        count = max(1, -(-int(lengths.max()) // 8))
        if count > MAX_WORDS:
            return None
        words = fields.words(count)
        # up to 8 bytes and no NUL byte: the word alone is the value (its length is where the
        # zeros begin), no hashing and no check needed
        exact = count == 1 and not fields.buffer.has_nul
        table = self._exact if exact else self._hashed
        key = words[:, 0] if exact else _hash(words, lengths)
        runs = np.flatnonzero(key[1:] != key[:-1]) + 1
        heads = np.concatenate(([0], runs)) if runs.size < n // 2 else None
        run_key = key if heads is None else key[heads]
        pos = table.find(run_key)
        if (pos < 0).any():
            missing = np.flatnonzero(pos < 0)
            keys, first = np.unique(run_key[missing], return_index=True)
            rows = missing[first] if heads is None else heads[missing[first]]
            appearance = np.argsort(rows, kind="stable")
            rows = rows[appearance]
            table.add(keys[appearance], np.array(new(fields.take(rows).values()), dtype=np.int32),
                      lengths[rows], words[rows])
            pos = table.find(run_key)
        if heads is not None:
            pos = np.repeat(pos, np.diff(np.append(heads, n)))
        if not (exact or table.holds(pos, lengths, words)):
            return None
        result: IntArray = np.take(table.index, pos)
        return result


class _Table:
    """Keys (sorted) and, for each, the index, length and words of its value."""

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.uint64)
        self.index = np.zeros(0, dtype=np.int32)
        self.lengths = np.zeros(0, dtype=np.int64)
        self.words = np.zeros((0, 1), dtype=np.uint64)

    def find(self, keys: NDArray[np.uint64]) -> NDArray[np.intp]:
        """Table positions of ``keys``, -1 where a key is not in the table."""
        if not self.keys.size:
            return np.full(keys.size, -1, dtype=np.intp)
        pos = np.minimum(np.searchsorted(self.keys, keys), self.keys.size - 1)
        return np.where(self.keys[pos] == keys, pos, -1)

    def holds(self, pos: NDArray[np.intp], lengths: NDArray[np.int64], words: Words) -> bool:
        """Whether each row (its length and words) is the value at its table position."""
        stored = np.take(self.words, pos, axis=0)  # (far faster than self.words[pos])
        width, count = stored.shape[1], words.shape[1]
        return bool((stored[:, :count] == words[:, :width]).all() and (width >= count or not words[:, width:].any())
                    and (np.take(self.lengths, pos) == lengths).all())

    def add(self, keys: NDArray[np.uint64], index: IntArray, lengths: NDArray[np.int64], words: Words) -> None:
        width = max(self.words.shape[1], words.shape[1])
        table = np.zeros((self.keys.size + keys.size, width), dtype=np.uint64)
        table[:self.keys.size, :self.words.shape[1]] = self.words
        table[self.keys.size:, :words.shape[1]] = words
        all_keys = np.concatenate((self.keys, keys))
        order = np.argsort(all_keys, kind="stable")
        self.keys = all_keys[order]
        self.index = np.concatenate((self.index, index))[order]
        self.lengths = np.concatenate((self.lengths, lengths))[order]
        self.words = table[order]


def _hash(words: Words, lengths: NDArray[np.int64]) -> NDArray[np.uint64]:
    """A 64-bit key of each value (a multiply-xorshift mix of its length and words)."""
    mult, mix, shift = _MIX
    h: NDArray[np.uint64] = lengths.astype(np.uint64) * mult
    for j in range(words.shape[1]):
        h = (h ^ words[:, j]) * mix
        h ^= h >> shift
    return h
