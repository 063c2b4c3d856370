from django.urls import path

from fupin.registry import views
from fupin.registry.io import urls as io_urls

app_name = "registry"
urlpatterns = [
    path("", views.household_list_view, name="households"),
    path("households/<int:pk>/", views.household_detail_view, name="household"),
    path("households/<int:pk>/edit/", views.household_edit_view, name="household_edit"),
    path("households/<int:pk>/change/", views.household_change_view, name="household_change"),
    path("persons/<int:pk>/edit/", views.person_edit_view, name="person_edit"),
    path("years/", views.year_list_view, name="years"),
    path("years/<str:county>/<int:year>/<str:action>/", views.year_freeze_view, name="year_action"),
    *io_urls.urlpatterns,
]
