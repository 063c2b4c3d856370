from django.urls import path

from fupin.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.finding_list, name="findings"),
    path("new/", views.finding_new, name="finding_new"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("export/problems.xlsx", views.export_problems, name="export_problems"),
    path("export/ledger.xlsx", views.export_ledger, name="export_ledger"),
    path("quality/", views.quality_import, name="quality_import"),
    path("<int:finding_id>/", views.finding_detail, name="finding"),
    path("<int:finding_id>/report/", views.finding_report, name="report"),
    path("<int:finding_id>/evidence/", views.finding_evidence_add, name="evidence_add"),
    path("<int:finding_id>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("<int:finding_id>/verify/", views.finding_verify, name="verify"),
    path("<int:finding_id>/edit/", views.finding_edit, name="edit"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:campaign_id>/report.pdf", views.campaign_report, name="campaign_report"),
    path("visits/<int:check_id>/", views.visit, name="visit"),
    path("checklists/<int:checklist_id>/", views.checklist_detail, name="checklist"),
]
