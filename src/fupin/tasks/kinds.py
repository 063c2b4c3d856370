"""Task kinds of the foundation. Later apps register theirs in their own `tasks.py`."""

from fupin.audit.services import audit_verify
from fupin.tasks.services import task_kind


@task_kind("audit.verify", action="audit.verify")
def run_audit_verify(*, actor, params, report):
    report(0, 1, "校验审计链")
    result = audit_verify()
    report(1, 1, "完成")
    return result.as_dict()
