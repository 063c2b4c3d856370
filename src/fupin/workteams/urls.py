from django.urls import path

from fupin.workteams import views

app_name = "workteams"
urlpatterns = [
    path("", views.team_list, name="teams"),
    path("new/", views.team_new, name="team_new"),
    path("units/", views.unit_list, name="units"),
    path("units/new/", views.unit_new, name="unit_new"),
    path("<int:team_id>/", views.team_detail, name="team"),
    path("<int:team_id>/members/new/", views.member_new, name="member_new"),
    path("<int:team_id>/changes/new/", views.change_new, name="change_new"),
    path("<int:team_id>/attendance/<str:month>/", views.attendance_view, name="attendance"),
    path("<int:team_id>/attendance/<str:month>/signoff/", views.attendance_signoff_view, name="signoff"),
    path("<int:team_id>/logs/", views.logs_view, name="logs"),
    path("<int:team_id>/annual/<int:year>/", views.annual_report_edit, name="annual_report"),
    path("<int:team_id>/surveys/<int:year>/new/", views.survey_new, name="survey_new"),
]
