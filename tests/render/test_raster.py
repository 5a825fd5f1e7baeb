"""PNGs drawn from outlined text and in bands have the pixels of resvg drawing the public SVG."""

from __future__ import annotations

import io
import random
import re
import sys
import zlib
from html import escape

import numpy as np
import numpy.typing as npt
import pytest
import resvg_py
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from service_blueprint import loads
from service_blueprint.render import RenderError, render_svg
from service_blueprint.render.outline import face
from service_blueprint.render.png_bands import Band, _adler_join, band_from_png, join
from service_blueprint.render.raster import png_geometry, png_scale, svg_to_png
from service_blueprint.render.raster_svg import band_svg, cuts, parse
from service_blueprint.render.text import FONT_FILES
from service_blueprint.templates import list_templates, template_text

NAMES = [getattr(t, "name", t) for t in list_templates()]
Pixels = npt.NDArray[np.int16]


def pixels(png: bytes) -> Pixels:
    image = Image.open(io.BytesIO(png))
    assert image.mode == "RGBA"
    return np.asarray(image).astype(np.int16)


def plain(svg: str, scale: float = 2.0) -> bytes:
    """resvg drawing the SVG as it is, the way PNGs were made before bands and outlines."""
    size = re.search(r'width="([\d.]+)" height="([\d.]+)"', svg)
    assert size is not None
    zoom = png_scale(float(size[1]), float(size[2]), scale)
    return bytes(resvg_py.svg_to_bytes(svg_string=svg, font_files=[str(f) for f in FONT_FILES],
                                       skip_system_fonts=True, zoom=zoom))


def document(body: list[str], width: int = 900, height: int = 300) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
            f' viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif">\n'
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="#FFFFFF" stroke="none"/>\n'
            + "\n".join(body) + "\n</svg>\n")


def assert_close(ours: bytes, theirs: bytes) -> None:
    """Same size; anti-aliasing may differ by a step on a handful of edge pixels (glyph
    coordinates are rounded differently on the way to resvg), nowhere more."""
    a, b = pixels(ours), pixels(theirs)
    assert a.shape == b.shape
    diff = np.abs(a - b).max(axis=2)
    assert float(diff.mean()) < 0.001
    assert int((diff > 16).sum()) <= a.shape[0] * a.shape[1] // 100_000


@pytest.mark.parametrize("name", NAMES)
def test_template_png_is_the_plain_rendering(name: str) -> None:
    svg = render_svg(loads(template_text(name)))
    assert_close(svg_to_png(svg, 1.0), plain(svg, 1.0))


@pytest.mark.parametrize(("theme", "scale"), [("dark", 2.0), ("print", 1.0)])
def test_themes_and_the_default_scale(theme: str, scale: float) -> None:
    svg = render_svg(loads(template_text("restaurant-dine-in")), theme=theme)
    assert_close(svg_to_png(svg, scale), plain(svg, scale))


def test_text_becomes_paths_but_only_for_the_raster() -> None:
    svg = render_svg(loads(template_text("hotel-stay")))
    d = parse(svg)
    assert d is not None
    raster = "".join(it.source for it in d.items)
    assert "<tspan" not in raster and raster.count("<path") > svg.count("<path")
    assert "<text" in raster  # the italic line labels stay text: no italic face to outline
    assert "<text" in svg and "<tspan" in svg  # the public SVG keeps real text


def _lines(texts: list[tuple[str, bool]], anchor: str = "start") -> list[str]:
    x = {"start": 10, "middle": 450, "end": 890}[anchor]
    out = []
    for k, (text, bold) in enumerate(texts):
        weight = ' font-weight="bold"' if bold else ""
        out.append(f'<text x="{x}" y="{20 + 18 * k}" font-size="13"{weight} text-anchor="{anchor}"'
                   f' fill="#1B1F24">{escape(text)}</text>')
    return out


def test_every_outlined_character_matches_its_text() -> None:
    texts = []
    for bold in (False, True):
        chars = sorted(ch for ch in face(bold).chars if ch != " ")
        texts += [("".join(chars[i:i + 48]), bold) for i in range(0, len(chars), 48)]
    svg = document(_lines(texts), height=20 + 18 * len(texts))
    assert "<text" not in "".join(it.source for it in parse(svg).items)  # type: ignore[union-attr]
    assert np.array_equal(pixels(svg_to_png(svg, 2.0, bands=1)), pixels(plain(svg)))


@pytest.mark.parametrize("bold", [False, True])
def test_kerning_pairs_and_ligatures_match_their_text(bold: bool) -> None:
    f = face(bold)
    char_of = {gid: ch for ch, gid in sorted(f.chars.items(), reverse=True)}
    pairs = [char_of[a] + char_of[b] for a, row in f.kerning["latn"].items() for b in row
             if a in char_of and b in char_of]
    assert len(pairs) > 1000
    words = pairs + ["office", "affluent", "baffle", "fjord", "fl fi ff ffi ffl", "12:30", "T-shirt", "1 AV"]
    texts = [(" ".join(words[i:i + 16]), bold) for i in range(0, len(words), 16)]
    for anchor in ("start", "middle", "end"):
        svg = document(_lines(texts, anchor), height=20 + 18 * len(texts))
        assert np.array_equal(pixels(svg_to_png(svg, 1.0, bands=1)), pixels(plain(svg, 1.0)))


def test_what_the_table_cannot_draw_stays_text() -> None:
    body = [
        '<text x="10" y="30" font-size="14" fill="#000">Ελληνικά and Latin</text>',  # another script
        '<text x="10" y="60" font-size="14" fill="#000" letter-spacing="2">spaced</text>',
        '<text x="10" y="90" font-size="14" fill="#000">two  spaces</text>',
        '<text x="10" y="120" font-size="14" fill="#000" font-style="italic">italic</text>',
        '<text x="10" y="150" font-size="14" fill="#000"><tspan x="10" y="150">mixed</tspan>'
        '<tspan x="80" y="150" letter-spacing="3">runs</tspan></text>',
        '<text x="10" y="180" font-size="12" fill="#1B1F24" paint-order="stroke" stroke-width="3"'
        ' stroke="#FFFFFF" stroke-linejoin="round">label with a halo</text>',
    ]
    svg = document(body, height=200)
    d = parse(svg)
    assert d is not None
    raster = "\n".join(it.source for it in d.items)
    assert raster.count("<text") == 5 and "label with a halo" not in raster and "mixed" not in raster
    assert np.array_equal(pixels(svg_to_png(svg, 2.0, bands=1)), pixels(plain(svg)))


def test_documents_it_cannot_take_apart_are_drawn_as_they_are() -> None:
    styled = document(['<style>text { font-size: 30px }</style>',
                       '<text x="10" y="40" fill="#000">styled</text>'])
    commented = document(["<!-- a comment -->", '<rect x="10" y="10" width="50" height="50" rx="9"/>'])
    quoted = document(["<rect x='10' y='10' width='50' height='50' rx='9' transform='translate(0 200)'/>"])
    for svg in (styled, commented, quoted):
        assert parse(svg) is None
        assert svg_to_png(svg) == plain(svg)


def test_band_borders_cross_straight_edges_only() -> None:
    svg = render_svg(loads(template_text("restaurant-dine-in")))
    d = parse(svg)
    assert d is not None
    width, height, _, scale_y = png_geometry(d.width, d.height, 2.0)
    borders = cuts(d, width, height, scale_y, 4)
    assert len(borders) == 5
    for row in borders[1:-1]:
        crossing = [it for it in d.items if it.top * scale_y < row < it.bottom * scale_y]
        assert crossing, "a border in empty space would prove nothing"
        assert not any(top * scale_y - 1 < row < bottom * scale_y + 1 for it in crossing for top, bottom in it.curves)


def test_bands_join_without_seams() -> None:
    svg = render_svg(loads(template_text("restaurant-dine-in")))
    whole = pixels(svg_to_png(svg, bands=1))
    assert np.array_equal(pixels(svg_to_png(svg, bands=3)), whole)


def test_bands_at_an_odd_scale() -> None:
    """A wide drawing scaled down to the size cap: the scales are not round numbers, so a band
    is placed with a rounding error far below a pixel; rarely, that tips a pixel's anti-aliasing
    by a step, as drawing the whole in another way would. No seam."""
    steps = "\n".join(f"  - name: Step {k}\n    customer: [{{text: Customer does thing {k}}}]\n"
                      f"    frontstage: [{{text: Clerk answers {k}, role: clerk}}]" for k in range(160))
    bp = loads(f"blueprint: 1\ntitle: Wide\nroles:\n  clerk: {{name: Clerk}}\nsteps:\n{steps}\n")
    svg = render_svg(bp)
    d = parse(svg)
    assert d is not None and d.width * 2 > 16384
    ours = svg_to_png(svg, bands=2)
    assert ours[16:24] == plain(svg)[16:24]  # same width and height
    assert_close(ours, plain(svg))
    whole = svg_to_png(svg, bands=1)
    assert_close(ours, whole)
    width, height, _, scale_y = png_geometry(d.width, d.height, png_scale(d.width, d.height, 2.0))
    border = cuts(d, width, height, scale_y, 2)[1]
    assert np.array_equal(pixels(ours)[border - 3:border + 3], pixels(whole)[border - 3:border + 3])


@pytest.mark.parametrize("interpreter", ["/nonexistent/python", "/bin/false"])
def test_a_band_worker_that_cannot_work_leaves_its_band_to_the_caller(
        monkeypatch: pytest.MonkeyPatch, interpreter: str) -> None:
    svg = render_svg(loads(template_text("hotel-stay")))
    expected = svg_to_png(svg, 1.0, bands=2)
    monkeypatch.setattr(sys, "executable", interpreter)
    assert svg_to_png(svg, 1.0, bands=2) == expected


def test_a_drawing_resvg_refuses_is_a_render_error() -> None:
    with pytest.raises(RenderError):
        svg_to_png('<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"></svg>')
    with pytest.raises(RenderError):
        svg_to_png("not an svg")


# -- joining bands: PNG rows, filters and checksums -----------------------------------------------

def _filtered(rows: list[bytes], kinds: list[int]) -> bytes:
    """PNG scanlines of 8-bit RGBA ``rows``, each with the given filter type."""
    out = bytearray()
    prior = bytes(len(rows[0]))
    for row, kind in zip(rows, kinds, strict=True):
        line = bytearray()
        for x, value in enumerate(row):
            a = row[x - 4] if x >= 4 else 0
            b = prior[x]
            c = prior[x - 4] if x >= 4 else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            paeth = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            predictor = (0, a, b, (a + b) // 2, paeth)[kind]
            line.append((value - predictor) & 0xFF)
        out += bytes([kind]) + line
        prior = row
    return bytes(out)


def _png(width: int, rows: list[bytes], kinds: list[int]) -> bytes:
    import struct

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, len(rows), 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(_filtered(rows, kinds))) + chunk(b"IEND", b""))


@pytest.mark.parametrize("first_filter", [0, 1, 2, 3, 4])
def test_joined_bands_decode_to_the_picture(first_filter: int) -> None:
    rng = random.Random(first_filter)
    width, height = 9, 12
    rows = [bytes(rng.randrange(256) for _ in range(width * 4)) for _ in range(height)]
    kinds = [(first_filter + k) % 5 for k in range(height)]
    for border in range(1, height):
        bands: list[Band] = []
        for top, bottom in ((0, border), (border, height)):
            # each band is encoded on its own: its first row filtered against a row of zeros
            bands.append(band_from_png(_png(width, rows[top:bottom], kinds[top:bottom])))
        joined = pixels(join(bands))
        expected = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(height, width, 4)
        assert np.array_equal(joined, expected)


@given(st.binary(max_size=300), st.binary(max_size=300))
def test_checksums_of_bands_combine(first: bytes, second: bytes) -> None:
    assert _adler_join(zlib.adler32(first), zlib.adler32(second), len(second)) == zlib.adler32(first + second)


def test_band_svg_holds_only_what_reaches_the_band() -> None:
    svg = document(['<rect x="10" y="10" width="50" height="20" fill="#F00"/>',
                    '<rect x="10" y="250" width="50" height="20" fill="#00F"/>',
                    '<path d="M30,20 L30,260" stroke="#000" stroke-width="1.3"/>'])
    d = parse(svg)
    assert d is not None
    top = band_svg(d, 900, 0, 200, (1.0, 1.0))
    assert 'fill="#F00"' in top and 'fill="#00F"' not in top and "<path" in top
    bottom = band_svg(d, 900, 200, 100, (1.0, 1.0))
    assert 'fill="#F00"' not in bottom and 'fill="#00F"' in bottom and "<path" in bottom
