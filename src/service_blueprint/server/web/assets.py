"""The editor's static files (CSS, JavaScript modules and the prebuilt CodeMirror bundle).

They ship inside the package (``static/``), so the browser never loads anything from the
internet. Only the files present at start are served, by exact name; each response carries a
content hash as its ETag and must be revalidated, so a new release is picked up at once.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files

from fastapi import APIRouter, Header, HTTPException, Response

router = APIRouter(include_in_schema=False)

TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8"}


@cache
def _files() -> dict[str, tuple[bytes, str]]:
    """Every servable file: its bytes and the hash that names its version."""
    out: dict[str, tuple[bytes, str]] = {}
    for item in (files(__package__) / "static").iterdir():
        suffix = "." + item.name.rsplit(".", 1)[-1] if "." in item.name else ""
        if item.is_file() and suffix in TYPES:
            data = item.read_bytes()
            out[item.name] = (data, hashlib.sha256(data).hexdigest()[:16])
    return out


def asset_url(name: str) -> str:
    """The URL of a static file, with its content hash so caches never serve an old one."""
    found = _files().get(name)
    if found is None:
        raise KeyError(f"no static file {name!r}")
    return f"/web/static/{name}?v={found[1]}"


@router.get("/web/static/{name}")
def static_file(name: str, if_none_match: str | None = Header(default=None, max_length=200)) -> Response:
    found = _files().get(name)
    if found is None:
        raise HTTPException(404, "no such file")
    data, digest = found
    tag = f'"{digest}"'
    headers = {"ETag": tag, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
    if if_none_match == tag:
        return Response(status_code=304, headers=headers)
    suffix = "." + name.rsplit(".", 1)[-1]
    return Response(data, media_type=TYPES[suffix], headers=headers)
