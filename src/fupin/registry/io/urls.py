"""URL patterns of the import/export pages, included in the registry's `urls.py` (namespace
`registry`): `path("", include(...))` is not needed, add `*io_urlpatterns` to its list."""

from django.urls import path

from fupin.registry.io import views

urlpatterns = [
    path("import/", views.import_view, name="import"),
    path("import/template.xlsx", views.import_template_view, name="import_template"),
    path("import/<int:task_id>/", views.import_status_view, name="import_status"),
    path("import/<int:task_id>/errors.xlsx", views.import_errors_view, name="import_errors"),
    path("export/", views.export_view, name="export"),
]
