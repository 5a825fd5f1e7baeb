"""Rasterise one horizontal band of a picture, and join bands into one PNG.

resvg holds Python's GIL while it draws, so bands drawn at the same time need processes. This
module runs as one (``python -P png_bands.py``): it imports only the standard library and resvg,
which starts in a few milliseconds where the package would take most of a second.

Bands are joined without decoding pixels. A PNG's pixel data is one zlib stream of filtered
rows; each band's rows are re-deflated as a run of non-final blocks ending on a byte boundary
(a full flush, so nothing refers back into another band), the runs are concatenated, and one
empty final block and the Adler-32 of all rows (combined arithmetically) close the stream. The
only row that needs care is a band's first: resvg filtered it against a row of zeros, which in
the joined picture becomes the previous band's last row; its filter is rewritten so that it no
longer depends on the row above.
"""

from __future__ import annotations

import json
import struct
import sys
import zlib
from dataclasses import dataclass

DEFLATE_LEVEL = 3  # as fast as level 1 on these pictures and a fifth smaller
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ADLER_BASE = 65521


class BandError(Exception):
    """resvg refused the drawing, or returned something that is not an 8-bit RGBA PNG."""


@dataclass(frozen=True, slots=True)
class Band:
    width: int
    rows: int
    deflated: bytes  # the filtered rows as raw deflate blocks, none final, ending byte-aligned
    adler: int  # Adler-32 of the filtered rows
    size: int  # length of the filtered rows in bytes


def render_band(svg: str, fonts: list[str]) -> Band:
    """The band drawn by resvg at its own size, ready to join under the band above it."""
    import resvg_py

    try:
        png = bytes(resvg_py.svg_to_bytes(svg_string=svg, font_files=fonts, skip_system_fonts=True))
    except ValueError as exc:
        raise BandError(str(exc)) from exc
    return band_from_png(png)


def band_from_png(png: bytes) -> Band:
    """An 8-bit RGBA PNG as a band."""
    width, rows, data = _rows(png)
    data = _first_row_alone(data, width * 4)
    packer = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
    deflated = packer.compress(data) + packer.flush(zlib.Z_FULL_FLUSH)
    return Band(width, rows, deflated, zlib.adler32(data), len(data))


def _rows(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and the filtered rows of an 8-bit RGBA, non-interlaced PNG."""
    if not png.startswith(_SIGNATURE):
        raise BandError("resvg returned no PNG")
    pos = len(_SIGNATURE)
    header = b""
    idat: list[bytes] = []
    while pos + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    if len(header) != 13:
        raise BandError("resvg returned a PNG without a header")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if (depth, colour, interlace) != (8, 6, 0):
        raise BandError(f"unexpected PNG format (depth {depth}, colour type {colour}, interlace {interlace})")
    data = zlib.decompress(b"".join(idat))
    if len(data) != height * (width * 4 + 1):
        raise BandError("resvg returned a PNG of the wrong length")
    return width, height, data


def _first_row_alone(data: bytes, stride: int) -> bytes:
    """The rows with the first one's filter made independent of the row above it.

    Against a row of zeros, Up is None and Paeth is Sub; Average becomes None once the row is
    unfiltered (each byte adds half its left neighbour).
    """
    kind = data[0] if data else 0
    if kind in (0, 1):
        return data
    if kind == 2:
        return b"\x00" + data[1:]
    if kind == 4:
        return b"\x01" + data[1:]
    row = bytearray(data[1:stride + 1])
    for x in range(4, stride):
        row[x] = (row[x] + (row[x - 4] >> 1)) & 0xFF
    return b"\x00" + bytes(row) + data[stride + 1:]


def _adler_join(first: int, second: int, second_size: int) -> int:
    """Adler-32 of two byte strings one after the other, from theirs and the second's length."""
    a1, b1 = first & 0xFFFF, first >> 16
    a2, b2 = second & 0xFFFF, second >> 16
    a = (a1 + a2 - 1) % _ADLER_BASE
    b = (b1 + b2 + second_size * (a1 - 1)) % _ADLER_BASE
    return (b << 16) | a


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def join(bands: list[Band]) -> bytes:
    """One PNG of the bands, top to bottom (all of one width)."""
    width = bands[0].width
    if any(b.width != width for b in bands):
        raise BandError("bands of different widths")
    adler = 1
    for b in bands:
        adler = _adler_join(adler, b.adler, b.size)
    final = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15).flush()  # an empty final block
    stream = b"\x78\x5e" + b"".join(b.deflated for b in bands) + final + struct.pack(">I", adler)
    header = struct.pack(">IIBBBBB", width, sum(b.rows for b in bands), 8, 6, 0, 0, 0)
    return _SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", stream) + _chunk(b"IEND", b"")


def encode_request(svg: str, fonts: list[str]) -> bytes:
    """What a band process reads on its standard input."""
    head = json.dumps({"fonts": fonts}).encode()
    return head + b"\n" + svg.encode()


def encode_band(b: Band) -> bytes:
    """What a band process writes on its standard output."""
    return struct.pack(">IIIQ", b.width, b.rows, b.adler, b.size) + b.deflated


def decode_band(data: bytes) -> Band:
    if len(data) < 20:
        raise BandError("a band process returned no band")
    width, rows, adler, size = struct.unpack(">IIIQ", data[:20])
    return Band(width, rows, data[20:], adler, size)


def main() -> int:
    """Band process: a request on stdin, a band on stdout; a refusal on stderr with status 1."""
    head, _, svg = sys.stdin.buffer.read().partition(b"\n")
    request = json.loads(head)
    try:
        band = render_band(svg.decode(), request["fonts"])
    except BandError as exc:
        sys.stderr.write(str(exc))
        return 1
    sys.stdout.buffer.write(encode_band(band))
    return 0


if __name__ == "__main__":
    sys.exit(main())
