"""`dixian demo`: load the demo county once; print the demo logins every time."""

from __future__ import annotations

import time
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import ProtectedError

from dixian.accounts.models import User
from dixian.demo import loader
from dixian.demo.users import LOGINS, PASSWORD
from dixian.registry.models import Household

DEFAULT_HOUSEHOLDS = 20_000
MIN_HOUSEHOLDS = 200


class Command(BaseCommand):
    help = (
        "加载演示县（上犹县）：约 15,000 脱贫户与 5,000 一般农户、监测对象与待认定线索、收入、帮扶措施、"
        "务工信息、灾害/意外事件、帮扶干部和演示账号。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--households", type=int, default=DEFAULT_HOUSEHOLDS, help="农户数（脱贫户:一般农户 = 3:1）"
        )
        parser.add_argument("--seed", type=int, default=2024, help="随机种子：同一种子生成相同数据")
        parser.add_argument("--reset", action="store_true", help="先删除演示数据再重新加载")

    def handle(self, *args: Any, households: int, seed: int, reset: bool, **options: Any) -> None:
        if households < MIN_HOUSEHOLDS:
            raise CommandError(f"--households 至少为 {MIN_HOUSEHOLDS}")
        started = time.monotonic()
        if reset:
            try:
                loader.wipe(self.say)
            except ProtectedError as exc:
                raise CommandError(f"无法删除演示数据（仍被其他记录引用）：{exc.args[0]}") from None
        elif Household.objects.exists():
            self.say("演示数据已加载（数据库中已有农户），跳过加载。重新加载请用 --reset。")
            self.print_logins()
            return
        counts = loader.load(households=households, seed=seed, report=self.say)
        self.say(
            f"完成：农户 {counts.households:,} 户，人口 {counts.persons:,} 人，监测对象 {counts.cases:,} 户，"
            f"收入记录 {counts.incomes:,} 条，结对 {counts.pairings:,} 条，待认定线索 {counts.clues:,} 条，"
            f"帮扶措施 {counts.measures:,} 条，务工信息 {counts.employment:,} 条，计划务工 {counts.work_plans:,} 条，"
            f"灾害/意外事件 {counts.events:,} 条；用时 {time.monotonic() - started:.1f} s"
        )
        self.print_logins()

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def print_logins(self) -> None:
        users = {
            u.username: u
            for u in User.objects.filter(username__in=[login.username for login in LOGINS]).select_related(
                "org_unit"
            )
        }
        self.say("")
        if not users:
            self.say("未找到演示账号：请用 --reset 重新加载演示数据。")
            return
        self.say("演示账号：")
        self.say("  " + _row("用户名", "角色", "单位", "密码"))
        for login in LOGINS:
            user = users.get(login.username)
            if user is not None:
                unit = user.org_unit.name if user.org_unit else ""
                self.say("  " + _row(login.username, login.role.label, unit, PASSWORD))
        self.say("  另有各帮扶单位的帮扶干部 bfUUKKK 与负责人 bfUU000（如 bf02001、bf02000），密码相同。")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _row(*cells: str) -> str:
    """Cells padded to columns by display width (a Chinese character takes two)."""
    widths = (12, 16, 22)
    padded = [cell + " " * max(1, width - _width(cell)) for cell, width in zip(cells, widths, strict=False)]
    return "".join(padded) + cells[-1]
