"""Pieces every funds model shares: money fields and the append-only guard."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from fupin.core.errors import Conflict

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


class AppendOnly(models.Model):
    """A ledger row (记账): written once, never edited or deleted. A correction is a reversing entry."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise Conflict("记账记录只能追加，不能修改；请登记冲正记录", code="append_only")
        kwargs["force_insert"] = True
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Conflict("记账记录只能追加，不能删除；请登记冲正记录", code="append_only")
