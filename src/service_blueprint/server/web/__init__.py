"""The web editor: pages to create, edit and review blueprints in a browser (docs/web.md).

One router, added to the server app's list of routers: the pages, their static files, the
editor's live check and the review page's what-if simulations.
"""

from __future__ import annotations

from fastapi import APIRouter

from . import assets, check, pages, whatif

router = APIRouter(include_in_schema=False)
router.include_router(pages.router)
router.include_router(assets.router)
router.include_router(check.router)
router.include_router(whatif.router)

__all__ = ["router"]
