"""`dixian restore FILE`: replace the database's contents with a backup (see dixian.core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dixian.core import backup


class Command(BaseCommand):
    help = "用备份文件覆盖当前数据库（只能恢复同一种数据库的备份），完成后打印登记数据的条数与校验值"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--no-input", action="store_true", help="不询问确认")

    def handle(self, *args: Any, file: Path, no_input: bool, **options: Any) -> None:
        try:
            engine = backup.engine_of_file(file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not no_input:
            answer = input(f"将用 {file}（{engine}）覆盖当前数据库的全部数据。输入 yes 继续：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，数据库未改变")
        try:
            backup.restore(file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已从 {file} 恢复")
        for line in backup.registry_fingerprint().lines():
            self.stdout.write(line)
        self.stdout.write("如备份来自较早版本，请再运行 dixian migrate")
