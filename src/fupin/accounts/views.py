from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from fupin.accounts.access import can, require
from fupin.accounts.forms import RoleGrantForm, UserCreateForm
from fupin.accounts.models import RoleAssignment
from fupin.accounts.selectors import user_get, users_visible
from fupin.accounts.services import role_assign, role_revoke, user_create
from fupin.areas.selectors import area_get
from fupin.core.errors import ValidationFailed
from fupin.web.tables import Column, Filter, Table

COLUMNS = [
    Column("username", _lazy("用户名"), sort="username", link=lambda u: reverse("web:user", args=[u.pk])),
    Column("full_name", _lazy("姓名"), sort="full_name"),
    Column("organisation", _lazy("工作单位")),
    Column("roles", _lazy("角色"), render=lambda u: "；".join(str(a) for a in u.assignments.all())),
    Column("is_active", _lazy("启用"), render=lambda u: "✓" if u.is_active else "✗"),
]
FILTERS = [Filter("q", _lazy("用户名或姓名"), "username__icontains")]


@login_required
def user_list(request):
    qs = users_visible(actor=request.user).prefetch_related("assignments__area")
    table = Table(request, qs, columns=COLUMNS, filters=FILTERS, default_sort="username")
    return render(request, "accounts/user_list.html", {
        "table": table, "can_create": can(request.user, "users.manage")})


@login_required
def user_new(request):
    require(request.user, "users.manage")
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_create(actor=request.user, username=data["username"], password=data["password"],
                               full_name=data["full_name"], phone=data["phone"], organisation=data["organisation"])
        except ValidationFailed as exc:
            form.add_error(None, exc.message)
            for message in exc.details.get("errors", []):
                form.add_error(None, message)
        else:
            messages.success(request, _("已创建用户：%(u)s") % {"u": user.username})
            return redirect("web:user", user.pk)
    return render(request, "accounts/user_new.html", {"form": form})


@login_required
def user_detail(request, user_id: int):
    user = user_get(actor=request.user, user_id=user_id)
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role_assign(actor=request.user, user=user, role=form.cleaned_data["role"],
                        area=area_get(form.cleaned_data["area"]), department=form.cleaned_data["department"])
        except ValidationFailed as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已授权"))
            return redirect("web:user", user.pk)
    return render(request, "accounts/user_detail.html", {
        "subject": user, "assignments": user.assignments.select_related("area").order_by("role"),
        "form": form, "can_grant": can(request.user, "roles.manage"),
    })


@login_required
@require_POST
def role_revoke_view(request, user_id: int, assignment_id: int):
    user = user_get(actor=request.user, user_id=user_id)
    role_revoke(actor=request.user, assignment=get_object_or_404(RoleAssignment, pk=assignment_id, user=user))
    messages.success(request, _("已撤销授权"))
    return redirect("web:user", user.pk)
