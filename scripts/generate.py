"""Write the generated artefacts (schema file, docs/rules.md, docs/cli.md) from the code."""

from __future__ import annotations

from pathlib import Path

from service_blueprint.generated import artefacts

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    for path, text in artefacts(ROOT).items():
        old = path.read_text("utf-8") if path.exists() else None
        if old != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
