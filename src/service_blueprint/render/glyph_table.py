"""The glyph table behind outlined text (``fonts/glyphs.json``), generated from the bundled fonts.

fontTools is a development dependency: only this generator (run by ``scripts/generate.py``, and
by the test that the committed table is current) uses it; drawing reads the JSON.
"""

from __future__ import annotations

from typing import Any

from .text import FONTS_DIR

# Code points drawn from pre-outlined glyphs in PNGs: Latin letters, digits, punctuation,
# currency, arrows and the common maths signs and bullets. Other characters stay text for resvg to
# shape (other scripts need their own shaping rules, which this table does not model).
OUTLINE_RANGES = ((0x20, 0x7E), (0xA0, 0x17F), (0x2010, 0x2027), (0x2030, 0x205E), (0x20A0, 0x20CF),
                  (0x2190, 0x21FF), (0x2212, 0x2212), (0x2215, 0x221A), (0x221E, 0x221E),
                  (0x2248, 0x2248), (0x2260, 0x2265), (0x25A0, 0x25A1), (0x25B2, 0x25B2),
                  (0x25B6, 0x25B6), (0x25BC, 0x25BC), (0x25C0, 0x25C0), (0x25C6, 0x25C6),
                  (0x25CB, 0x25CB), (0x25CF, 0x25CF))


def _outlined(cp: int) -> bool:
    """Characters a simple shaper handles exactly: visible Latin letters and common symbols."""
    import unicodedata

    category = unicodedata.category(chr(cp))
    return cp == 0x20 or (category[0] in "LNPS" and category != "Lm")


def _path_number(v: float) -> str:
    return str(int(v)) if v == int(v) else str(v)


def _glyph_outline(glyph_set: Any, name: str) -> list[Any]:
    """One glyph as [top, bottom, start x, start y, rest of the path, end x, end y] in font
    units, y down (top and bottom bound the outline).

    The path is relative throughout, so a run of text is the glyphs' strings joined with one
    move between them (from ``end`` of one glyph to ``start`` of the next); ``end`` is where a
    relative path stands after the glyph's last ``z``: the start of its last contour.
    """
    from fontTools.pens.basePen import BasePen

    class RelativePen(BasePen):  # type: ignore[misc]  # fontTools is untyped
        def __init__(self) -> None:
            super().__init__(glyph_set)
            self.start: tuple[float, float] | None = None
            self.contour = (0.0, 0.0)
            self.at = (0.0, 0.0)
            self.parts: list[str] = []
            self.last = ""

        def _emit(self, cmd: str, *values: float) -> None:
            text = ""
            for v in values:
                s = _path_number(v)
                text += s if (not text or s.startswith("-")) else " " + s
            if cmd == self.last and not text.startswith("-"):
                text = " " + text
            self.parts.append(text if cmd == self.last else cmd + text)
            self.last = cmd

        def _rel(self, p: tuple[float, float]) -> tuple[float, float]:
            return p[0] - self.at[0], self.at[1] - p[1]

        def _moveTo(self, p: tuple[float, float]) -> None:
            if self.start is None:
                self.start = (p[0], -p[1])
            else:
                self._emit("m", p[0] - self.contour[0], self.contour[1] - p[1])
            self.contour = self.at = p

        def _lineTo(self, p: tuple[float, float]) -> None:
            dx, dy = self._rel(p)
            if dy == 0:
                self._emit("h", dx)
            elif dx == 0:
                self._emit("v", dy)
            else:
                self._emit("l", dx, dy)
            self.at = p

        def _qCurveToOne(self, c: tuple[float, float], p: tuple[float, float]) -> None:
            self._emit("q", *self._rel(c), *self._rel(p))
            self.at = p

        def _curveToOne(self, a: tuple[float, float], b: tuple[float, float], p: tuple[float, float]) -> None:
            self._emit("c", *self._rel(a), *self._rel(b), *self._rel(p))
            self.at = p

        def _closePath(self) -> None:
            self._emit("z")
            self.at = self.contour

    from fontTools.pens.boundsPen import BoundsPen

    pen = RelativePen()
    glyph_set[name].draw(pen)
    if pen.start is None:
        return []
    bounds = BoundsPen(glyph_set)
    glyph_set[name].draw(bounds)
    _, y_min, _, y_max = bounds.bounds
    return [-y_max, -y_min, pen.start[0], pen.start[1], "".join(pen.parts), pen.contour[0], -pen.contour[1]]


def _default_lookups(table: Any, script: str, feature: str, kind: int) -> list[Any]:
    """The lookups of ``feature`` for ``script``'s default language, all of lookup type ``kind``."""
    t = table.table
    record = next((s for s in t.ScriptList.ScriptRecord if s.ScriptTag == script), None)
    if record is None:
        return []
    out = []
    for index in record.Script.DefaultLangSys.FeatureIndex:
        fr = t.FeatureList.FeatureRecord[index]
        if fr.FeatureTag == feature:
            for li in fr.Feature.LookupListIndex:
                lookup = t.LookupList.Lookup[li]
                assert lookup.LookupType == kind and lookup.LookupFlag == 0, f"{feature}: unexpected lookup"
                out.append(lookup)
    return out


def _pair_value(subtables: list[Any], left: str, right: str) -> int | None:
    """The x-advance adjustment of the first subtable that kerns ``left``, ``right``."""
    for st in subtables:
        assert st.ValueFormat2 == 0, "kerning that moves the second glyph is not modelled"
        if left not in st.Coverage.glyphs:
            continue
        if st.Format == 1:
            pair_set = st.PairSet[st.Coverage.glyphs.index(left)]
            for rec in pair_set.PairValueRecord:
                if rec.SecondGlyph == right:
                    return int(getattr(rec.Value1, "XAdvance", 0) or 0)
            continue
        c1 = st.ClassDef1.classDefs.get(left, 0)
        c2 = st.ClassDef2.classDefs.get(right, 0)
        value = st.Class1Record[c1].Class2Record[c2].Value1
        return int(getattr(value, "XAdvance", 0) or 0)
    return None


class _Glyphs:
    """The glyphs of one font that the table holds, numbered in the order they are added."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.index: dict[str, int] = {}

    def add(self, name: str) -> int:
        if name not in self.index:
            self.index[name] = len(self.names)
            self.names.append(name)
        return self.index[name]


def _face(font: Any) -> dict[str, Any]:
    """The table of one font: its characters, glyphs, ligatures and kerning."""
    cmap = font.getBestCmap()
    glyphs = _Glyphs()
    chars = {str(cp): glyphs.add(cmap[cp]) for lo, hi in OUTLINE_RANGES for cp in range(lo, hi + 1)
             if cp in cmap and _outlined(cp)}
    ligatures: dict[str, list[list[Any]]] = {}
    for lookup in _default_lookups(font["GSUB"], "latn", "liga", 4):
        for st in lookup.SubTable:
            for first, ligs in st.ligatures.items():
                if first not in glyphs.index:
                    continue
                for lig in ligs:
                    if all(c in glyphs.index for c in lig.Component):
                        ligatures.setdefault(str(glyphs.index[first]), []).append(
                            [[glyphs.index[c] for c in lig.Component], glyphs.add(lig.LigGlyph)])
    features: dict[str, Any] = {}
    for script in ("latn", "DFLT"):
        subtables = [list(lookup.SubTable) for lookup in _default_lookups(font["GPOS"], script, "kern", 2)]
        covered = set().union(*(st.Coverage.glyphs for sts in subtables for st in sts))
        kerning: dict[str, dict[str, int]] = {}
        for left in (n for n in glyphs.names if n in covered):
            for right in glyphs.names:
                total = sum(_pair_value(sts, left, right) or 0 for sts in subtables)
                if total:
                    kerning.setdefault(str(glyphs.index[left]), {})[str(glyphs.index[right])] = total
        features[script] = {"ligatures": ligatures if script == "latn" else {}, "kerning": kerning}
    glyph_set = font.getGlyphSet()
    head = font["head"]
    return {"units_per_em": head.unitsPerEm, "y_min": head.yMin, "y_max": head.yMax, "chars": chars,
            "glyphs": [[font["hmtx"][name][0], *_glyph_outline(glyph_set, name)] for name in glyphs.names],
            **features}


def glyph_table() -> dict[str, Any]:
    """Glyph outlines, ligatures and kerning of the bundled fonts, for drawing text as paths.

    A PNG of a large blueprint spends most of its time laying out text; paths drawn from this
    table give the same picture without it (see ``outline.py``). Only the default features for
    Latin text are modelled: ligatures (``liga``) and pair kerning (``kern``).
    """
    from fontTools.ttLib import TTFont

    return {style: _face(TTFont(FONTS_DIR / file))
            for style, file in (("regular", "DejaVuSans.ttf"), ("bold", "DejaVuSans-Bold.ttf"))}
