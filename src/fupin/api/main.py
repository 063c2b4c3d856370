"""The JSON API under /api/, OpenAPI at /api/docs. Each bounded context contributes a router."""

from ninja import NinjaAPI

from fupin.api import errors
from fupin.api.auth import API_AUTH
from fupin.api.renderers import JSONRenderer

api = NinjaAPI(
    title="Fupin API · 精准扶贫·防返贫监测帮扶管理系统",
    version="1",
    auth=API_AUTH,
    urls_namespace="api",
    docs_url="/docs",
    renderer=JSONRenderer(),
)
errors.install(api)


def _mount() -> None:
    from fupin.accounts.api import router as accounts_router
    from fupin.areas.api import router as areas_router
    from fupin.audit.api import router as audit_router
    from fupin.tasks.api import router as tasks_router

    api.add_router("/accounts", accounts_router)
    api.add_router("/areas", areas_router)
    api.add_router("/audit", audit_router)
    api.add_router("/tasks", tasks_router)


_mount()
