from django.urls import path

from fupin.assessment import views, views_rounds

app_name = "assessment"
urlpatterns = [
    path("", views.scheme_list, name="schemes"),
    path("rounds/", views_rounds.round_list, name="rounds"),
    path("rounds/<int:round_id>/", views_rounds.round_detail, name="round"),
    path("rounds/<int:round_id>/<str:act>/", views_rounds.round_act, name="round_act"),
    path("rounds/<int:round_id>/forms/<str:name>.<str:fmt>", views_rounds.round_download, name="round_form"),
    path("entries/<int:entry_id>/", views_rounds.entry_detail, name="entry"),
    path("entries/<int:entry_id>/evidence/<int:evidence_id>/", views_rounds.evidence_download, name="evidence"),
    path("entries/<int:entry_id>/forms/<str:name>.<str:fmt>", views_rounds.entry_download, name="entry_form"),
    path("entries/<int:entry_id>/<str:act>/", views_rounds.entry_act, name="entry_act"),
    path("<str:scheme_id>/", views.scheme_detail_view, name="scheme"),
]
