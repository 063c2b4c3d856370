from django.urls import path

from fupin.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.home, name="home"),
    path("runs/start/", views.run_start, name="run_start"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("whatif/", views.whatif, name="whatif"),
]
