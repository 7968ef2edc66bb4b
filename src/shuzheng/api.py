"""The JSON API under /api/v1/, with its OpenAPI page at /api/v1/docs.

Each domain app contributes one router from its own ``api.py``.
"""

from ninja import NinjaAPI

from shuzheng.orgs.api import router as orgs_router

api = NinjaAPI(
    title="shuzheng API",
    version="1",
    description="数政 — digital-government platform API",
    urls_namespace="api",
)
api.add_router("/orgs/", orgs_router)
