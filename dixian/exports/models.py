"""Export jobs: large exports written to a file by a background task and downloaded by
their owner only (small exports stream straight to the browser and leave no job)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "正在导出"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel"
        CSV = "csv", "CSV"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导出人", on_delete=models.CASCADE, related_name="export_jobs"
    )

    class Source(models.TextChoices):
        HOUSEHOLDS = "households", "农户档案"
        PERSONS = "persons", "人员名单"
        CASES = "cases", "识别与消除"

    class Layout(models.TextChoices):
        HOUSEHOLD = "household", "户信息"
        MONITORING = "monitoring", "监测对象信息"

    source = models.CharField("导出来源", max_length=16, choices=Source.choices, default=Source.HOUSEHOLDS)
    layout = models.CharField("表格式", max_length=16, choices=Layout.choices, default=Layout.HOUSEHOLD)
    # The list page's querystring as lists of values; re-parsed and re-scoped when the job runs.
    filters = models.JSONField("筛选条件", default=dict, blank=True)
    full_pii = models.BooleanField("完整证件号码和电话", default=False)
    format = models.CharField("格式", max_length=8, choices=Format.choices)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField("已写行数", default=0)
    progress_total = models.PositiveIntegerField("总行数", default=0)
    file = models.FileField("文件", upload_to="exports/", blank=True)
    row_count = models.PositiveIntegerField("行数", default=0)
    error = models.CharField("错误", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.get_format_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def filename(self) -> str:
        return f"{self.get_layout_display()}_{self.created_at:%Y%m%d%H%M%S}.{self.format}"
