from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from fupin.accounts.roles import Department, Role
from fupin.areas.models import Area
from fupin.core.validators import validate_phone


class User(AbstractUser):
    """A person who signs in. What they may see and do comes only from their role assignments."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_phone])
    organisation = models.CharField("工作单位", max_length=100, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """A role held in one area (and the area's subtree). A user may hold several."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    area = models.ForeignKey(Area, verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    department = models.CharField("行业部门", max_length=30, choices=Department.choices, blank=True)
    granted_by = models.ForeignKey(
        User, verbose_name="授权人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField("授权时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "area", "department"], name="assignment_unique"),
            models.CheckConstraint(
                condition=~models.Q(role=Role.DEPARTMENT_USER) | ~models.Q(department=""),
                name="department_user_has_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} @ {self.area.name}"


class LoginThrottle(models.Model):
    """Failed sign-ins per user name; enough of them lock the name for a while (登录失败锁定)."""

    username = models.CharField("用户名", max_length=150, unique=True)
    failures = models.PositiveIntegerField("连续失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    last_failure_at = models.DateTimeField("最近失败时间", null=True, blank=True)

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"

    def __str__(self) -> str:
        return f"{self.username}: {self.failures}"


class ApiToken(models.Model):
    """A bearer token for API clients. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=100)
    key_prefix = models.CharField("前缀", max_length=8, db_index=True)
    key_hash = models.CharField("摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("过期时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked = models.BooleanField("已吊销", default=False)

    class Meta:
        verbose_name = "API令牌"
        verbose_name_plural = "API令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"
