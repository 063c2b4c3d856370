from django.urls import path

from fupin.feeds import views

app_name = "feeds"
urlpatterns = [
    path("", views.alert_list, name="alerts"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert"),
    path("uploads/", views.upload_list, name="uploads"),
    path("uploads/<int:upload_id>/", views.upload_detail, name="upload"),
]
