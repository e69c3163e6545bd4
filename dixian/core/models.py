"""Cross-cutting records: the audit trail of sensitive reads and actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """Who did or saw what, when, from where.

    Row-level history of business records lives in django-simple-history tables; this
    table records what history cannot see: full views of personal data, exports, logins.
    """

    class Action(models.TextChoices):
        REVEAL_ID = "reveal_id", "查看完整证件号码"
        REVEAL_PHONE = "reveal_phone", "查看完整电话"
        EXPORT = "export", "导出"
        CHANGE = "change", "修改"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", null=True, on_delete=models.SET_NULL
    )
    action = models.CharField("操作", max_length=32, choices=Action.choices)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    detail = models.CharField("说明", max_length=500, blank=True)
    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()} {self.object_id}"


class DataGeneration(models.Model):
    """A counter per topic of data, bumped in the same transaction as every write to that
    data. Cached figures are keyed by it, so a cached answer is never served after the data
    behind it changed — in any process, since the counter lives in the database."""

    topic = models.CharField("主题", max_length=32, primary_key=True)
    value = models.BigIntegerField("版本", default=0)

    class Meta:
        verbose_name = "数据版本"
        verbose_name_plural = "数据版本"

    def __str__(self) -> str:
        return f"{self.topic} {self.value}"
