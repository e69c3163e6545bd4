"""Forms of the import pages: the upload and the commit choice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from dixian.core.widgets import bootstrap
from dixian.imports.columns import KIND_CHOICES
from dixian.imports.models import ImportBatch

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
EXTENSIONS = (".xlsx", ".xls", ".xlsm", ".ods", ".csv")


class UploadForm(forms.Form):
    file = forms.FileField(
        label="文件",
        help_text="国家系统导出的 Excel 文件（前两行为标题，第三行为表头），或同样格式的 CSV",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    year = forms.IntegerField(label="收入年度", min_value=2000, max_value=2100)
    kind = forms.ChoiceField(
        label="文件类型",
        required=False,
        choices=[("", "自动识别")] + KIND_CHOICES,
        help_text="一般留空，由表头自动识别",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1
        bootstrap(self)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError("请上传 xlsx、xls、ods 或 csv 文件")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
        return upload


class CommitForm(forms.Form):
    mode = forms.ChoiceField(choices=ImportBatch.Mode.choices)
    create_villages = forms.BooleanField(label="新建表中缺少的村（社区）", required=False)
