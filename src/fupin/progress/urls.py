from django.urls import path

from fupin.progress import views

app_name = "progress"
urlpatterns = [
    path("", views.index, name="index"),
    path("map/<str:code>/", views.battle_map, name="map"),
    path("map/<str:code>/records/<str:indicator>/", views.records_view, name="records"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/milestones/new/", views.milestone_new, name="milestone_new"),
    path("milestones/<int:milestone_id>/done/", views.milestone_done_view, name="milestone_done"),
    path("targets/new/", views.target_new, name="target_new"),
    path("targets/<int:target_id>/report/", views.target_report_view, name="target_report"),
    path("dispatch/", views.dispatch_list, name="dispatch"),
    path("dispatch/freeze/", views.dispatch_freeze, name="freeze"),
    path("dispatch/<int:snapshot_id>/", views.snapshot_detail, name="snapshot"),
    path("dispatch/<int:snapshot_id>/report.xlsx", views.snapshot_xlsx, name="snapshot_xlsx"),
    path("dispatch/<int:snapshot_id>/report.pdf", views.snapshot_pdf, name="snapshot_pdf"),
    path("dispatch/<int:snapshot_id>/quarterly.xlsx", views.quarterly_xlsx, name="quarterly_xlsx"),
    path("boundaries/", views.boundaries_page, name="boundaries"),
    path("boundaries/clear/", views.boundaries_clear_view, name="boundaries_clear"),
    path("summaries/<str:code>/<int:year>/<str:kind>/", views.summary_view, name="summary"),
    path("summaries/<str:code>/<int:year>/<str:kind>/summary.<str:fmt>", views.summary_file, name="summary_file"),
]
