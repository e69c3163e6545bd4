"""dixian import_national FILE --year YYYY [--kind K] [--create-villages] [--valid-only] [--dry-run] [--user U]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from dixian.accounts.models import User
from dixian.imports.columns import Kind
from dixian.imports.models import ImportBatch
from dixian.imports.selectors import batch_preview
from dixian.imports.services import CommitRefused, ImportFileError, batch_commit, batch_create, batch_stage


class Command(BaseCommand):
    help = "导入国家系统导出的Excel文件（户信息、监测对象信息、已外出务工信息、计划外出务工信息）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--kind", choices=[k.value for k in Kind])
        parser.add_argument("--create-villages", action="store_true")
        parser.add_argument("--valid-only", action="store_true")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--user", help="以该用户身份导入（默认：第一个超级用户）")

    def handle(self, *args: Any, **opts: Any) -> None:
        user = self._user(opts["user"])
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            with path.open("rb") as handle:
                batch = batch_create(
                    uploaded_file=File(handle, name=path.name),
                    filename=path.name,
                    user=user,
                    year=opts["year"],
                    kind=opts["kind"],
                )
            batch = batch_stage(batch=batch)
        except ImportFileError as exc:
            raise CommandError(exc.message) from None
        if batch.status == ImportBatch.Status.FAILED:
            raise CommandError(batch.error_message)
        self._report(batch)
        if opts["dry_run"]:
            self.stdout.write("试运行：未写入任何数据")
            return
        mode = ImportBatch.Mode.VALID if opts["valid_only"] else ImportBatch.Mode.ALL
        try:
            batch = batch_commit(batch=batch, mode=mode, actor=user, create_villages=opts["create_villages"])
        except CommitRefused as exc:
            raise CommandError(exc.message) from None
        written = batch.count_create + batch.count_update
        self.stdout.write(
            f"已导入：新增{batch.count_create}行，更新{batch.count_update}行，未导入{batch.count_rejected}行"
        )
        if written == 0 and batch.count_rejected:
            raise CommandError("没有导入任何数据（全部有错误）")

    def _user(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"用户不存在：{username}")
            return user
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("请用 --user 指定导入用户")
        return user

    def _report(self, batch: ImportBatch) -> None:
        preview = batch_preview(batch)
        self.stdout.write(
            f"{Kind(batch.kind).label}：新增{batch.count_create}，更新{batch.count_update}，"
            f"无变化{batch.count_unchanged}，有错误{batch.count_rejected}"
        )
        if preview.extra_columns:
            self.stdout.write(f"未识别的列（已忽略）：{'、'.join(preview.extra_columns)}")
        for township, name in preview.missing_villages:
            self.stdout.write(f"系统中没有的村：{name}（乡镇 {township}）")
        for row in batch.rows.filter(action="reject").order_by("row_number").iterator():
            for e in row.errors:
                self.stdout.write(f"第{row.row_number}行\t{e['column']}\t{e['value']}\t{e['reason']}")
