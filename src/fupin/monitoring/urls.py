from django.urls import path

from fupin.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.case_list_view, name="cases"),
    path("new/", views.propose_view, name="propose"),
    path("overdue/", views.overdue_view, name="overdue"),
    path("analysis/new/", views.analysis_view, name="analysis_new"),
    path("<int:case_id>/", views.case_view, name="case"),
    path("<int:case_id>/facts/", views.facts_view, name="facts"),
    path("<int:case_id>/monthly/", views.monthly_view, name="monthly"),
    path("<int:case_id>/eliminate/", views.eliminate_view, name="eliminate"),
    path("<int:case_id>/reflag/", views.reflag_view, name="reflag"),
    path("<int:case_id>/refresh/", views.refresh_view, name="refresh"),
]
