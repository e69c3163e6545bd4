"""The audit page: county admins read the trail of their county, filter it, export it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from dixian.accounts.roles import Role
from dixian.core.models import AuditEvent
from dixian.testing import factories as f

pytestmark = pytest.mark.django_db


def _event(user, action=AuditEvent.Action.REVEAL_ID, detail="", days_ago=0, ip="10.0.0.1"):
    event = AuditEvent.objects.create(user=user, action=action, detail=detail, ip_address=ip)
    if days_ago:
        AuditEvent.objects.filter(pk=event.pk).update(at=timezone.now() - dt.timedelta(days=days_ago))
    return event


def test_only_county_admins_read_the_trail(client, world):
    for who in ("town_a", "village_a1", "cadre", "dept", "nobody"):
        client.force_login(world.users()[who])
        assert client.get(reverse("audit_list")).status_code == 403
        assert client.get(reverse("audit_export")).status_code == 403
    client.force_login(world.county)
    assert client.get(reverse("audit_list")).status_code == 200


def test_the_trail_lists_the_countys_users_and_filters(client, world):
    _event(world.town_a, detail="查看 a1 证件号码")
    _event(world.town_b, AuditEvent.Action.EXPORT, detail="导出 陡水镇", days_ago=10)
    _event(world.nobody, detail="无单位的人")  # no org unit: not the county's
    client.force_login(world.county)
    body = client.get(reverse("audit_list")).content.decode()
    assert "查看 a1 证件号码" in body and "导出 陡水镇" in body
    assert "无单位的人" not in body

    only_exports = client.get(reverse("audit_list"), {"action": "export"}).content.decode()
    assert "导出 陡水镇" in only_exports and "查看 a1 证件号码" not in only_exports
    recent = client.get(reverse("audit_list"), {"date_from": timezone.localdate().isoformat()})
    assert "导出 陡水镇" not in recent.content.decode()
    by_user = client.get(reverse("audit_list"), {"username": "town_b"}).content.decode()
    assert "导出 陡水镇" in by_user and "查看 a1 证件号码" not in by_user


def test_a_bad_filter_keeps_what_was_typed_and_says_why(client, world):
    client.force_login(world.county)
    response = client.get(
        reverse("audit_list"), {"date_from": "2026-05-01", "date_to": "2026-04-01", "username": "zhao"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "起始日期晚于截止日期" in body
    assert 'value="zhao"' in body
    assert (
        client.get(reverse("audit_export"), {"date_from": "2026-05-01", "date_to": "2026-04-01"}).status_code
        == 400
    )


def test_export_writes_the_filtered_trail_and_is_itself_audited(client, world):
    _event(world.town_a, detail="查看 a1 证件号码", ip="10.2.3.4")
    _event(world.town_b, AuditEvent.Action.EXPORT, detail="导出 陡水镇")
    client.force_login(world.county)
    response = client.get(reverse("audit_export"), {"action": "reveal_id"})
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = book.get_sheet_by_name("审计记录").to_python()
    assert rows[2][:4] == ["时间", "用户", "单位", "操作"]
    data = rows[3:]
    assert (
        len(data) == 1
        and data[0][1] == "town_a"
        and data[0][6] == "查看 a1 证件号码"
        and data[0][7] == "10.2.3.4"
    )
    export = AuditEvent.objects.filter(user=world.county, action=AuditEvent.Action.EXPORT).get()
    assert "审计记录导出" in export.detail and "共1条" in export.detail


def test_sign_ins_and_failed_sign_ins_show_with_their_address(world):
    f.user("sun", Role.TOWNSHIP, "360724100000")
    Client().post(reverse("login"), {"username": "sun", "password": "wrong"}, REMOTE_ADDR="10.7.7.7")
    Client().post(reverse("login"), {"username": "sun", "password": f.PASSWORD}, REMOTE_ADDR="10.7.7.8")
    Client().post(reverse("login"), {"username": "no-such-user", "password": "x"}, REMOTE_ADDR="10.7.7.9")
    admin = Client()
    admin.force_login(world.county)
    body = admin.get(reverse("audit_list"), {"tab": "logins"}).content.decode()
    assert "10.7.7.7" in body and "密码错误" in body
    assert "10.7.7.8" in body and "登录成功" in body
    assert "no-such-user" not in body  # a name nobody has says nothing about this county
