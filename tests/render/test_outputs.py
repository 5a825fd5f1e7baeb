"""PNG, PDF and HTML outputs, the journey overview and the render command."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from service_blueprint import loads
from service_blueprint.errors import UsageError
from service_blueprint.render import render, render_html
from service_blueprint.render.text import text_width, wrap
from service_blueprint.templates import template_text

ASSETS = Path(__file__).parents[2] / "src/service_blueprint/render/assets"


@pytest.fixture(scope="module")
def bike():  # type: ignore[no-untyped-def]
    return loads(template_text("bike-repair-current"))


def test_png_and_pdf(bike) -> None:  # type: ignore[no-untyped-def]
    png = render(bike, "png", scale=1)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(png[16:20], "big")
    svg = render(bike, "svg").decode()
    assert abs(width - float(re.search(r'width="([\d.]+)"', svg)[1])) <= 1  # type: ignore[index]
    pdf = render(bike, "pdf")
    assert pdf.startswith(b"%PDF-") and b"DejaVu" in pdf
    assert render(bike, "pdf") == pdf  # no timestamp inside


def test_html_is_offline_and_complete(bike) -> None:  # type: ignore[no-untyped-def]
    page = render_html(bike)
    assert "<svg" in page and 'id="bp-data"' in page and "<table>" in page
    assert not re.search(r"""(src|href)=["']https?:""", page)
    assert page.count('tabindex="0"') == sum(1 for _ in bike.actions())
    assert "<\\/script" not in page and page.count("</script>") == 2
    assert render_html(bike) == page


def test_html_escapes_hostile_text() -> None:
    bp = loads('blueprint: 1\ntitle: "<script>alert(1)</script>"\nsteps:\n'
               '  - name: S\n    customer: [{id: c, text: "</script><img src=x onerror=alert(1)>"}]\n')
    page = render_html(bp)
    assert "<img src=x" not in page and "<script>alert" not in page


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_script_parses() -> None:
    subprocess.run(["node", "--check", str(ASSETS / "blueprint.js")], check=True)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_trace_in_a_real_browser(bike, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "bike.html"
    page.write_text(render_html(bike), encoding="utf-8")
    dom = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", f"{page.as_uri()}#trace=inspect"],
        capture_output=True, text=True, timeout=120, check=True).stdout
    assert re.search(r'class="action[^"]*selected[^"]*"[^>]*data-id="inspect"', dom)
    assert "dim" in dom and "upstream or downstream" in dom
    # ordering_part is downstream of inspect: not dimmed; something unrelated is dimmed
    assert not re.search(r'class="action[^"]*dim[^"]*"[^>]*data-id="check_parts"', dom)


def test_wrap_respects_width() -> None:
    for width in (40.0, 80.0, 150.0):
        for line in wrap("Inspects the bike with the customer https://example.org/very/long/url", width, 12):
            assert text_width(line, 12) <= width


def test_render_errors(bike) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError):
        render(bike, "svg", theme="neon")
    with pytest.raises(UsageError):
        render(bike, "svg", hide=["kitchen"])


def test_cli_render_formats(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "bike.blueprint.yaml"
    src.write_text(template_text("bike-repair-current"), encoding="utf-8")
    for ext in ("svg", "png", "pdf", "html"):
        code, out, _ = cli(["render", str(src), "-o", str(tmp_path / f"b.{ext}"), "--theme", "dark"])
        assert code == 0 and "wrote" in out
        assert (tmp_path / f"b.{ext}").stat().st_size > 1000
    code, _, err = cli(["render", str(src), "-o", str(tmp_path / "b.gif")])
    assert code == 2 and "extension" in err
    code, _, err = cli(["render", str(src), "-o", str(tmp_path / "b.svg"), "--hide", "kitchen"])
    assert code == 2 and "kitchen" in err
    code, _, _ = cli(["render", str(src), "-o", str(tmp_path / "c.svg"), "--hide", "support", "--no-legend"])
    assert code == 0 and "Support processes" not in (tmp_path / "c.svg").read_text()


def test_cli_render_refuses_broken_blueprints(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.blueprint.yaml"
    bad.write_text("blueprint: 1\ntitle: T\nflows: [a -> b]\n", encoding="utf-8")
    code, _, err = cli(["render", str(bad), "-o", str(tmp_path / "x.svg")])
    assert code == 1 and "E01" in err and not (tmp_path / "x.svg").exists()
    junk = tmp_path / "junk.blueprint.yaml"
    junk.write_bytes(b"\x00\x01binary")
    code, _, err = cli(["render", str(junk), "-o", str(tmp_path / "y.svg")])
    assert code == 1 and "Traceback" not in err


def test_cli_render_journey(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    for name in ("bike-repair-current", "bike-repair-future"):
        (tmp_path / f"{name}.blueprint.yaml").write_text(template_text(name), encoding="utf-8")
    (tmp_path / "repair.journey.yaml").write_text(
        "journey: 1\ntitle: Repair journey\ncustomer: Commuter\nblueprints:\n"
        "  - {path: bike-repair-current.blueprint.yaml, name: Today}\n"
        "  - {path: bike-repair-future.blueprint.yaml, name: Tomorrow}\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, _out, _ = cli(["render", str(tmp_path / "repair.journey.yaml"), "-o", str(out_dir / "journey.svg")])
    assert code == 0
    overview = (out_dir / "journey.svg").read_text()
    assert 'href="bike-repair-current.svg"' in overview and "Tomorrow" in overview
    assert (out_dir / "bike-repair-future.svg").exists()
