import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import SessionAuth

from dixian.accounts.api_auth import ApiTokenAuth
from dixian.accounts.models import ApiToken
from dixian.api import api

LIST = "/api/v1/households"


def bearer(key):
    return {"Authorization": f"Bearer {key}"}


def test_token_authenticates_as_its_user_with_that_users_scope(world, client):
    _, key = ApiToken.issue(user=world.town_b, name="对接")
    response = client.get(LIST, headers=bearer(key))
    assert response.status_code == 200
    assert {i["id"] for i in response.json()["items"]} == {world.b1.pk, world.moved.pk}


def test_no_credentials_is_401(world, client):
    assert client.get(LIST).status_code == 401
    assert client.get(f"{LIST}/{world.a1.pk}").status_code == 401


@pytest.mark.parametrize("header", ["Bearer not-a-real-key", "Bearer ", "Token abc", "Basic Zm9vOmJhcg=="])
def test_unknown_or_malformed_token_is_401(world, client, header):
    assert client.get(LIST, headers={"Authorization": header}).status_code == 401


def test_revoked_token_is_401(world, client):
    token, key = ApiToken.issue(user=world.county, name="旧系统")
    token.revoked = True
    token.save()
    assert client.get(LIST, headers=bearer(key)).status_code == 401


def test_token_of_a_deactivated_user_is_401(world, client):
    _, key = ApiToken.issue(user=world.county, name="离职")
    world.county.is_active = False
    world.county.save()
    assert client.get(LIST, headers=bearer(key)).status_code == 401


def test_session_auth_works(world, client):
    client.force_login(world.village_a1_user)
    response = client.get(LIST)
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_last_used_is_stamped_at_most_once_a_minute(world, client):
    token, key = ApiToken.issue(user=world.county, name="对接")
    client.get(LIST, headers=bearer(key))
    token.refresh_from_db()
    assert token.last_used_at is not None

    recent = timezone.now() - dt.timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    client.get(LIST, headers=bearer(key))
    token.refresh_from_db()
    assert token.last_used_at == recent

    stale = timezone.now() - dt.timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    client.get(LIST, headers=bearer(key))
    token.refresh_from_db()
    assert token.last_used_at > stale


def test_session_auth_enforces_csrf_on_unsafe_methods(world):
    (session_auth,) = [a for a in api.auth if isinstance(a, SessionAuth)]
    post = RequestFactory().post(LIST)
    post.user = world.county
    with pytest.raises(HttpError) as exc:
        session_auth(post)
    assert exc.value.status_code == 403
    get = RequestFactory().get(LIST)
    get.user = world.county
    assert session_auth(get) == world.county


def test_token_is_tried_before_the_session_so_token_clients_need_no_csrf():
    assert isinstance(api.auth[0], ApiTokenAuth)


def test_create_api_token_prints_the_key_once_and_stores_only_its_hash(world, client):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "town_a", name="县统计对接", stdout=out, stderr=err)
    key = out.getvalue().strip()
    token = ApiToken.objects.get(user=world.town_a)
    assert token.name == "县统计对接" and token.key_hash == ApiToken.hash_key(key)
    assert key not in token.key_hash and token.prefix == key[:8]
    assert client.get(LIST, headers=bearer(key)).json()["count"] == 3


def test_create_api_token_refuses_unknown_and_inactive_users(world):
    with pytest.raises(CommandError):
        call_command("create_api_token", "ghost", name="x")
    world.nobody.is_active = False
    world.nobody.save()
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", name="x")
