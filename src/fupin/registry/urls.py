from django.urls import path

from fupin.registry import views, views_card, views_create, views_quality
from fupin.registry.io import urls as io_urls

app_name = "registry"
urlpatterns = [
    path("", views.household_list_view, name="households"),
    path("households/new/", views_create.household_create_view, name="household_create"),
    path("households/<int:pk>/", views.household_detail_view, name="household"),
    path("households/<int:pk>/persons/new/", views_create.person_add_view, name="person_add"),
    path("households/<int:pk>/edit/", views.household_edit_view, name="household_edit"),
    path("households/<int:pk>/card/", views_card.household_card_view, name="household_card"),
    path("households/<int:pk>/card.pdf", views_card.household_card_pdf_view, name="household_card_pdf"),
    path("households/<int:pk>/change/", views.household_change_view, name="household_change"),
    path("persons/<int:pk>/edit/", views.person_edit_view, name="person_edit"),
    path("years/", views.year_list_view, name="years"),
    path("quality/", views_quality.quality_view, name="quality"),
    path("quality/export/", views_quality.quality_export_view, name="quality_export"),
    path("years/<str:county>/<int:year>/<str:action>/", views.year_freeze_view, name="year_action"),
    *io_urls.urlpatterns,
]
