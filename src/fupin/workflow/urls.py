from django.urls import path

from fupin.workflow import views

app_name = "workflow"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("reviews/", views.review_list, name="list"),
    path("reviews/<int:review_id>/", views.review_detail, name="detail"),
    path("reviews/<int:review_id>/act/", views.review_act_view, name="act"),
    path("overdue/", views.overdue, name="overdue"),
]
