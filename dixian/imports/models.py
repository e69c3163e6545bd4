"""Import batches of national-system files and their staged rows (uploads land in
staging with per-row errors before they touch real records)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from dixian.imports.columns import KIND_CHOICES


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", "已上传"
        STAGING = "staging", "校验中"
        STAGED = "staged", "待确认"
        COMMITTING = "committing", "导入中"
        COMMITTED = "committed", "已导入"
        FAILED = "failed", "失败"

    class Mode(models.TextChoices):
        ALL = "all", "全部无误才导入"
        VALID = "valid", "仅导入无误的行"

    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    original_filename = models.CharField("原文件名", max_length=255)
    kind = models.CharField("文件类型", max_length=16, choices=KIND_CHOICES, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.UPLOADED)
    progress_done = models.PositiveIntegerField("已处理行数", default=0)
    progress_total = models.PositiveIntegerField("总行数", default=0)
    count_create = models.PositiveIntegerField("新增", default=0)
    count_update = models.PositiveIntegerField("更新", default=0)
    count_unchanged = models.PositiveIntegerField("无变化", default=0)
    count_rejected = models.PositiveIntegerField("有错误", default=0)
    extra_columns = models.JSONField("未识别的列", default=list, blank=True)
    error_message = models.TextField("错误信息", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_batches",
    )
    scope_prefix = models.CharField("上传人辖区代码", max_length=12, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    committed_at = models.DateTimeField("导入时间", null=True, blank=True)
    commit_mode = models.CharField("导入方式", max_length=8, choices=Mode.choices, blank=True)
    history = HistoricalRecords(excluded_fields=["progress_done", "progress_total"])

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_filename} ({self.get_status_display()})"


class StagedRow(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "更新"
        UNCHANGED = "unchanged", "无变化"
        REJECT = "reject", "有错误"

    batch = models.ForeignKey(
        ImportBatch, verbose_name="导入批次", on_delete=models.CASCADE, related_name="rows"
    )
    row_number = models.PositiveIntegerField("行号")
    household_number = models.CharField("户编号", max_length=32, blank=True)
    id_number = models.CharField("证件号码", max_length=20, blank=True)
    data = models.JSONField("数据", default=dict)
    action = models.CharField("处理", max_length=16, choices=Action.choices, default=Action.CREATE)
    errors = models.JSONField("错误", default=list, blank=True)
    # "township_code|village name" when the village is not in the system yet.
    missing_village = models.CharField("缺少的村", max_length=80, blank=True)

    class Meta:
        verbose_name = "待导入行"
        verbose_name_plural = "待导入行"
        ordering = ["batch_id", "row_number"]
        indexes = [
            models.Index(fields=["batch", "household_number"], name="staged_batch_household"),
            models.Index(fields=["batch", "id_number"], name="staged_batch_id"),
            models.Index(fields=["batch", "action"], name="staged_batch_action"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number}"
