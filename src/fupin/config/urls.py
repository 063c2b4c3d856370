from django.urls import include, path

from fupin.api.main import api

urlpatterns = [
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("workflow/", include("fupin.workflow.urls")),
    path("registry/", include("fupin.registry.urls")),
    path("policy/", include("fupin.policy.urls")),
    path("workteams/", include("fupin.workteams.urls")),
    path("assessment/", include("fupin.assessment.urls")),
    path("funds/", include("fupin.funds.urls")),
    path("monitoring/", include("fupin.monitoring.urls")),
    path("assistance/", include("fupin.assistance.urls")),
    path("feeds/", include("fupin.feeds.urls")),
    path("progress/", include("fupin.progress.urls")),
    path("supervision/", include("fupin.supervision.urls")),
    path("", include("fupin.web.urls")),
]

handler404 = "fupin.web.views.errors.not_found"
handler500 = "fupin.web.views.errors.server_error"
