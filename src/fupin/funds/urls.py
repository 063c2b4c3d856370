from django.urls import path

from fupin.funds import views

app_name = "funds"
urlpatterns = [
    path("", views.project_list, name="projects"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/<str:step>/", views.project_act, name="project_act"),
    path("postings/<int:pk>/reverse/", views.posting_reverse, name="posting_reverse"),
    path("assets/", views.asset_list, name="assets"),
    path("assets/new/", views.asset_new, name="asset_new"),
    path("assets/<int:pk>/", views.asset_detail, name="asset"),
    path("assets/<int:pk>/<str:step>/", views.asset_act, name="asset_act"),
    path("contracts/<int:pk>/<str:step>/", views.contract_act, name="contract_act"),
    path("equity/", views.equity_list, name="equities"),
    path("equity/new/", views.equity_new, name="equity_new"),
    path("equity/<int:pk>/", views.equity_detail, name="equity"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/<str:step>/", views.plan_act, name="plan_act"),
    path("risks/", views.risk_report, name="risks"),
    path("inventory.xlsx", views.inventory_download, name="inventory"),
]
