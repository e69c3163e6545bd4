"""Login lockout, client address behind a proxy, CSP, CSRF, sessions and `check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from dixian.accounts.models import User
from dixian.accounts.roles import Role
from dixian.core.middleware import client_ip
from dixian.testing import factories as f

COUNTY = "360724000000"


def _login(client: Client, username: str, password: str, address: str = "10.0.0.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_five_wrong_passwords_lock_that_name_from_that_address(client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    f.user("zhang", Role.TOWNSHIP, "360724100000")
    for _ in range(4):
        response = _login(client, "zhang", "wrong-password")
        assert response.status_code == 200 and "请输入一个正确的" in response.content.decode()
    locked = _login(client, "zhang", "wrong-password")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # Now even the right password is refused from that address ...
    again = _login(client, "zhang", f.PASSWORD)
    assert again.status_code == 429 and "_auth_user_id" not in client.session
    # ... while the same person from another address, and another user, still sign in.
    assert _login(Client(), "zhang", f.PASSWORD, address="10.0.0.8").status_code == 302
    f.user("li", Role.TOWNSHIP, "360724100000")
    assert _login(Client(), "li", f.PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_successful_login_clears_earlier_failures(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    f.user("wang", Role.VILLAGE, "360724100000")
    _login(client, "wang", "nope")
    _login(client, "wang", "nope")
    assert _login(client, "wang", f.PASSWORD).status_code == 302
    client.logout()
    _login(client, "wang", "nope")
    _login(client, "wang", "nope")
    assert _login(client, "wang", f.PASSWORD).status_code == 302


def test_forwarded_address_is_believed_only_from_a_configured_proxy():
    rf = RequestFactory()
    forged = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.1.1.1")
    via_proxy = rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.50, 10.9.9.8")
    with override_settings(TRUSTED_PROXIES=[]):
        assert client_ip(forged) == "203.0.113.9"
        assert client_ip(via_proxy) == "10.9.9.9"
    with override_settings(TRUSTED_PROXIES=["10.9.9.9", "10.9.9.8"]):
        assert client_ip(forged) == "203.0.113.9"  # not from our proxy: header ignored
        assert client_ip(via_proxy) == "203.0.113.50"


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_script(client):
    response = client.get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in directives["default-src"]


@pytest.mark.django_db
def test_a_post_without_csrf_token_is_refused():
    f.user("zhao", Role.COUNTY_ADMIN, COUNTY)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "zhao", "password": f.PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in strict.session


@pytest.mark.django_db
def test_session_expires_after_the_configured_lifetime(client, settings):
    f.user("qian", Role.COUNTY_ADMIN, COUNTY)
    assert _login(client, "qian", f.PASSWORD).status_code == 302
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


@pytest.mark.django_db
def test_weak_passwords_are_refused():
    for weak in ("12345678901", "password123", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("县里的-强口令-2026")


def test_deploy_check_is_clean_with_production_settings(tmp_path, settings):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DIXIAN_") and k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DIXIAN_SECRET_KEY="k" * 20 + "-production-secret-key-for-the-check-" + "x" * 20,
        DIXIAN_ALLOWED_HOSTS="dixian.example.gov.cn",
        DIXIAN_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from dixian.cli import main; main()",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


@pytest.mark.django_db
def test_a_nul_character_in_the_query_is_refused_not_a_server_error(client):
    f.user("zhou", Role.TOWNSHIP, "360724100000")
    client.force_login(User.objects.get(username="zhou"))
    page = client.get("/households/", {"q": "张\x00三"})
    assert page.status_code == 400 and "空字符" in page.content.decode()
    api = client.get("/api/v1/households", {"q": "\x00"})
    assert api.status_code == 422 and api.json()["detail"][0]["loc"] == ["query", "q"]
    assert client.get("/households/", {"q": "张三"}).status_code == 200
