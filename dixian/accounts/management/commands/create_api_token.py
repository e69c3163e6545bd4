"""`dixian create_api_token USERNAME --name NAME`: issue a REST API bearer token.

The key is printed once and never stored (only its hash): whoever loses it issues a new
one. The token acts as the user, with the user's scope.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dixian.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "为用户签发 REST API 令牌（只显示一次，库中仅存摘要）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="用户名")
        parser.add_argument("--name", required=True, help="令牌用途，如「县统计对接」")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        name = name.strip()
        if not name:
            raise CommandError("--name 不能为空")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在")
        if not user.is_active:
            raise CommandError(f"用户 {username} 已停用，不能签发令牌")
        token, key = ApiToken.issue(user=user, name=name[:100])
        self.stderr.write(
            f"已为 {username} 签发令牌「{token.name}」（前缀 {token.prefix}），请立即保存，之后无法再次查看："
        )
        self.stdout.write(key)
