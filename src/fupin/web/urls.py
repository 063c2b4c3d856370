from django.urls import path

from fupin.accounts import views as accounts
from fupin.areas import views as areas
from fupin.audit import views as audit
from fupin.tasks import views as tasks
from fupin.web.views import auth, home

app_name = "web"
urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/login/", auth.login_view, name="login"),
    path("accounts/logout/", auth.logout_view, name="logout"),
    path("session/area/", auth.switch_area, name="switch_area"),
    path("accounts/users/", accounts.user_list, name="users"),
    path("accounts/users/new/", accounts.user_new, name="user_new"),
    path("accounts/users/<int:user_id>/", accounts.user_detail, name="user"),
    path("accounts/users/<int:user_id>/roles/<int:assignment_id>/revoke/", accounts.role_revoke_view,
         name="role_revoke"),
    path("areas/", areas.area_list, name="areas"),
    path("areas/<str:code>/", areas.area_detail, name="area"),
    path("audit/", audit.audit_list, name="audit"),
    path("audit/verify/", audit.audit_verify_start, name="audit_verify"),
    path("tasks/", tasks.task_list, name="tasks"),
    path("tasks/<int:task_id>/", tasks.task_detail, name="task"),
]
