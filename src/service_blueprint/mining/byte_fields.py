"""Fields of a text chunk located by byte offsets, read eight bytes at a time.

Splitting a chunk of a few MiB into one Python ``bytes`` per field costs more than everything done
with the fields afterwards, so the fast paths never make them: a column is two arrays of offsets
into the chunk, and NumPy reads the chunk as unaligned little-endian 64-bit words at *any* byte
offset (a strided view over the bytes, no copy). A field of up to ``8 * k`` bytes is then ``k``
gathers over the whole column, and the timestamp parser and the interner work on those words.
The slow paths (a value that needs a careful look, an error message) ask for the values as
``bytes``, for the few rows that need them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

Offsets = NDArray[np.int64]
Words = NDArray[np.uint64]
#: Unaligned little-endian words: a platform's own byte order must not change what a word holds.
_WORD = np.dtype("<u8")
#: ``_KEEP[k]`` keeps the first ``k`` bytes of a little-endian word (its low ones).
_KEEP = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)


class ByteBuffer:
    """A chunk of bytes; ``words[i]`` is the 8 bytes from offset ``i`` as one integer (zeros past
    the end), ``bytes[i]`` the byte at ``i``."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._padded = data + bytes(8)
        self.bytes: NDArray[np.uint8] = np.frombuffer(self._padded, dtype=np.uint8)
        self.words: Words = np.ndarray((len(data) + 1,), dtype=_WORD, buffer=self._padded, strides=(1,))
        self._has_nul: bool | None = None

    @property
    def has_nul(self) -> bool:
        """Whether a NUL byte is in the chunk (then a zero byte in a word may be part of a value)."""
        if self._has_nul is None:
            self._has_nul = b"\0" in self.data
        return self._has_nul


@dataclass(frozen=True, slots=True, eq=False)
class Fields:
    """One column of a chunk: value ``k`` is ``buffer.data[start[k]:end[k]]``."""

    buffer: ByteBuffer
    start: Offsets
    end: Offsets

    @classmethod
    def of(cls, values: Sequence[Any]) -> Fields | None:
        """A column given as ``bytes`` or ``str`` values, joined into one buffer; ``None`` when the
        values are neither all ``bytes`` nor all ASCII ``str`` (offsets would not be characters)."""
        n = len(values)
        if n == 0:
            return None
        if all(type(v) is bytes for v in values):
            data = b"".join(values)
        elif all(type(v) is str for v in values):
            text = "".join(values)
            if not text.isascii():
                return None
            data = text.encode("ascii")
        else:
            return None
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=n)
        ends = np.cumsum(lengths)
        return cls(ByteBuffer(data), ends - lengths, ends)

    def __len__(self) -> int:
        return int(self.start.size)

    @property
    def lengths(self) -> Offsets:
        return self.end - self.start

    def take(self, rows: NDArray[np.intp] | NDArray[np.int64]) -> Fields:
        return Fields(self.buffer, self.start[rows], self.end[rows])

    def values(self) -> list[bytes]:
        """The values as ``bytes`` (for the slow paths)."""
        data = self.buffer.data
        return [data[s:e] for s, e in zip(self.start.tolist(), self.end.tolist(), strict=True)]

    def value(self, k: int) -> bytes:
        return self.buffer.data[int(self.start[k]):int(self.end[k])]

    def words(self, count: int) -> Words:
        """``(n, count)`` words holding each value's first ``8 * count`` bytes, zero past its end
        (so two values are equal exactly when their lengths and words are)."""
        lengths = self.lengths
        last = len(self.buffer.data)
        out = np.empty((len(self), count), dtype=np.uint64)
        for j in range(count):
            word = self.buffer.words[np.minimum(self.start + 8 * j, last)]
            out[:, j] = word & _KEEP[np.clip(lengths - 8 * j, 0, 8)]
        return out

    def matrix(self, width: int) -> NDArray[np.uint8]:
        """``(n, width)`` bytes from each value's start (bytes past a shorter value's end are
        whatever follows it in the chunk)."""
        count = -(-width // 8)
        words = np.empty((len(self), count), dtype=_WORD)
        for j in range(count):
            words[:, j] = self.buffer.words[self.start + 8 * j]
        return words.view(np.uint8)[:, :width]
