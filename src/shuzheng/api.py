"""The JSON API under /api/v1/, with its OpenAPI page at /api/v1/docs.

Each domain app contributes one router from its own ``api.py``. Every operation needs a
bearer token or a signed-in session unless it says ``auth=PUBLIC``
(``shuzheng.accounts.api_auth``); what the caller may do is checked by ``@api_requires``,
or, for the routers of apps below accounts (audit), by ``operation_requires`` applied here.
"""

from ninja import NinjaAPI

from shuzheng.accounts.api import router as accounts_router
from shuzheng.accounts.api_auth import SIGNED_IN
from shuzheng.accounts.authorization import operation_requires
from shuzheng.audit.api import router as audit_router
from shuzheng.dashboard.api import router as dashboard_router
from shuzheng.documents.api import router as documents_router
from shuzheng.notifications.api import router as notifications_router
from shuzheng.orgs.api import router as orgs_router
from shuzheng.search.api import router as search_router
from shuzheng.subscriptions.api import router as subscriptions_router
from shuzheng.tasks.api import document_tasks_router
from shuzheng.tasks.api import router as tasks_router

api = NinjaAPI(
    title="shuzheng API",
    version="1",
    description="数政 — digital-government platform API",
    urls_namespace="api",
    auth=SIGNED_IN,
)
api.add_router("/orgs/", orgs_router)
api.add_router("/accounts/", accounts_router)
audit_router.add_decorator(operation_requires("view_audit"))
api.add_router("/audit/", audit_router, auth=SIGNED_IN)
api.add_router("/documents/", documents_router)
api.add_router("/documents/", document_tasks_router)
api.add_router("/tasks/", tasks_router)
api.add_router("/search", search_router)
api.add_router("/notifications/", notifications_router)
api.add_router("/dashboard/", dashboard_router)
api.add_router("/subscriptions/", subscriptions_router)
