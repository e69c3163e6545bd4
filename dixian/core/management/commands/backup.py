"""`dixian backup FILE`: a consistent copy of the whole database (see dixian.core.backup)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dixian.core import backup


class Command(BaseCommand):
    help = "备份整个数据库到文件（SQLite：在线备份；PostgreSQL：pg_dump 自定义格式），并打印登记数据的条数与校验值"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        started = time.monotonic()
        try:
            backup.backup(file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = file.stat().st_size
        self.stdout.write(f"已备份到 {file}（{size:,} 字节，{time.monotonic() - started:.1f} 秒）")
        for line in backup.registry_fingerprint().lines():
            self.stdout.write(line)
