from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords

from dixian.accounts.roles import ROLE_BY_GROUP_NAME, Role
from dixian.areas.models import OrgUnit


class User(AbstractUser):
    """A member of an org unit; roles are groups (see accounts.roles)."""

    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号码", max_length=11, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def roles(self) -> frozenset[Role]:
        cached = getattr(self, "_roles_cache", None)
        if cached is None:
            names = self.groups.values_list("name", flat=True) if self.pk else []
            cached = frozenset(ROLE_BY_GROUP_NAME[n] for n in names if n in ROLE_BY_GROUP_NAME)
            self._roles_cache = cached
        return cached

    @property
    def role_labels(self) -> str:
        return "、".join(r.label for r in sorted(self.roles))


class ApiToken(models.Model):
    """A bearer token for the REST API. Only a hash is stored; the key is shown once."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("前缀", max_length=8)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked = models.BooleanField("已吊销", default=False)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple[ApiToken, str]:
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=cls.hash_key(key), prefix=key[:8])
        return token, key
