"""Readable names of audit actions. Apps add theirs with `register_action_labels`."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "auth.login": _("登录"),
    "auth.logout": _("退出"),
    "auth.login_failed": _("登录失败"),
    "auth.login_locked": _("账号锁定中登录"),
    "auth.lockout_cleared": _("解除锁定"),
    "auth.session_expired": _("会话过期"),
    "access.denied": _("越权访问被拒"),
    "api.unauthenticated": _("未认证的接口请求"),
    "api.csrf_failed": _("接口CSRF校验失败"),
    "web.csrf_failed": _("页面CSRF校验失败"),
    "user.create": _("新建用户"),
    "role.assign": _("授予角色"),
    "role.revoke": _("撤销角色"),
    "api_token.create": _("创建API令牌"),
    "areas.load": _("加载区划代码"),
    "area.rename": _("区划更名"),
    "area.merge": _("区划撤并"),
    "task.enqueue": _("提交后台任务"),
    "audit.prune": _("修剪审计日志"),
}


def register_action_labels(labels: dict) -> None:
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return f"{label}（{action}）" if label else action


def compact(data) -> str:
    if not data:
        return ""
    if isinstance(data, dict):
        return "；".join(f"{k}: {v}" for k, v in data.items())
    return str(data)
