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
    from fupin.assessment.api import router as assessment_router
    from fupin.assistance.api import router as assistance_router
    from fupin.audit.api import router as audit_router
    from fupin.feeds.api import router as feeds_router
    from fupin.funds.api import router as funds_router
    from fupin.monitoring.api import router as monitoring_router
    from fupin.policy.api import router as policy_router
    from fupin.progress.api import router as progress_router
    from fupin.registry.api import router as registry_router
    from fupin.registry.io.api import router as registry_io_router
    from fupin.supervision.api import router as supervision_router
    from fupin.tasks.api import router as tasks_router
    from fupin.workflow.api import router as workflow_router
    from fupin.workteams.api import router as workteams_router

    api.add_router("/accounts", accounts_router)
    api.add_router("/areas", areas_router)
    api.add_router("/audit", audit_router)
    api.add_router("/tasks", tasks_router)
    api.add_router("/workflow", workflow_router)
    api.add_router("/registry", registry_router)
    api.add_router("/registry", registry_io_router)
    api.add_router("/policy", policy_router)
    api.add_router("/workteams", workteams_router)
    api.add_router("/assessment", assessment_router)
    api.add_router("/funds", funds_router)
    api.add_router("/monitoring", monitoring_router)
    api.add_router("/assistance", assistance_router)
    api.add_router("/feeds", feeds_router)
    api.add_router("/progress", progress_router)
    api.add_router("/supervision", supervision_router)


_mount()
