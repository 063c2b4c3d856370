"""行政区划: the division tree, with history.

Every area has a 12-digit statistical code; its `prefix` is the significant part (2 digits for a
province, 4 for a city, 6 for a county, 9 for a township, 12 for a village), so "an area and
everything below it" is `code LIKE prefix || '%'`. A rename or merge never edits a row: it closes
the row (`valid_to`) and opens a new one, so records and reports that point at the old row still
resolve to the name they had.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

# The date the shipped codes describe (统计用区划代码, 2023-06-30).
CODES_AS_OF = dt.date(2023, 6, 30)

PREFIX_LENGTH = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}


class AreaLevel(models.IntegerChoices):
    PROVINCE = 1, "省"
    CITY = 2, "市"
    COUNTY = 3, "县"
    TOWNSHIP = 4, "乡镇"
    VILLAGE = 5, "村"


def pad_code(code: str) -> str:
    return str(code).strip().ljust(12, "0")


def level_of(significant: str) -> int:
    return {2: 1, 4: 2, 6: 3, 9: 4, 12: 5}[len(significant)]


class AreaQuerySet(models.QuerySet):
    def current(self):
        return self.filter(valid_to__isnull=True)

    def as_of(self, day: dt.date):
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gt=day))

    def under(self, prefix: str):
        return self.filter(code__startswith=prefix)


class Area(models.Model):
    code = models.CharField("区划代码", max_length=12, db_index=True)
    prefix = models.CharField("有效前缀", max_length=12, db_index=True)
    level = models.PositiveSmallIntegerField("级别", choices=AreaLevel.choices)
    name = models.CharField("名称", max_length=100)
    parent_code = models.CharField("上级区划代码", max_length=12, blank=True, db_index=True)
    valid_from = models.DateField("生效日期", default=CODES_AS_OF)
    valid_to = models.DateField("失效日期", null=True, blank=True)
    successor = models.ForeignKey(
        "self", verbose_name="并入区划", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    source = models.CharField("来源", max_length=200, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="area_code_valid_from_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_to__isnull=True), name="area_one_current_row_per_code"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="area_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def contains(self, code: str) -> bool:
        return code.startswith(self.prefix)
