"""Append-only, hash-chained audit events (审计日志).

Each event stores the hash of the one before it and a hash over its own content, so an edited,
inserted or deleted row breaks the chain and `fupin audit verify` names it. The actor is kept as
id + name, not a foreign key: deleting a user must not rewrite history.
"""

from __future__ import annotations

from django.db import models


class Outcome(models.TextChoices):
    OK = "ok", "成功"
    DENIED = "denied", "拒绝"
    FAILED = "failed", "失败"


class AuditEvent(models.Model):
    seq = models.BigIntegerField("序号", primary_key=True)
    occurred_at = models.DateTimeField("时间", db_index=True)
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True, db_index=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("操作", max_length=80, db_index=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.OK)
    target_type = models.CharField("对象类型", max_length=80, blank=True)
    target_id = models.CharField("对象ID", max_length=64, blank=True)
    target_label = models.CharField("对象", max_length=200, blank=True)
    area_code = models.CharField("区划代码", max_length=12, blank=True, db_index=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    details = models.JSONField("详情", null=True, blank=True)
    request_id = models.CharField("请求ID", max_length=32, blank=True)
    client_ip = models.CharField("客户端地址", max_length=45, blank=True)
    channel = models.CharField("渠道", max_length=10, blank=True)
    prev_hash = models.CharField("前一哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit events are append-only; use `fupin audit prune`")


class AuditHead(models.Model):
    """The chain's tip (and what pruning removed), locked by every writer so events stay in order."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    pruned_through_seq = models.BigIntegerField(default=0)
    pruned_through_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = "审计链头"

    def __str__(self) -> str:
        return f"head #{self.last_seq}"
