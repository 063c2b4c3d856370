from django.urls import path

from fupin.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.scheme_list, name="schemes"),
    path("<str:scheme_id>/", views.scheme_detail_view, name="scheme"),
]
