from django.urls import path

from fupin.assistance import views

app_name = "assistance"
urlpatterns = [
    path("", views.index, name="index"),
    path("plans/", views.plan_list, name="plans"),
    path("find/", views.find, name="find"),
    path("mine/", views.mine, name="mine"),
    path("cadres/", views.cadre_list, name="cadres"),
    path("cadres/new/", views.cadre_new, name="cadre_new"),
    path("households/<int:household_id>/", views.household_page, name="household"),
    path("households/<int:household_id>/plan/", views.plan_new, name="plan_new"),
    path("households/<int:household_id>/measures/", views.measure_new, name="measure_new"),
    path("households/<int:household_id>/assign/", views.assign, name="assign"),
    path("households/<int:household_id>/visits/", views.visit_new, name="visit_new"),
    path("measures/<int:measure_id>/status/", views.measure_status, name="measure_status"),
]
