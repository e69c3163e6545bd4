"""Test-wide environment: set before Django reads its settings."""

import os

os.environ.setdefault("DIXIAN_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("DIXIAN_STATIC_MANIFEST", "0")
os.environ.setdefault("DIXIAN_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# tests themselves are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    from django.conf import settings

    # Hashing cost is not under test; PBKDF2 at full strength would dominate the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
