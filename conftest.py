"""Test-wide configuration.

pytest-django imports the settings before this file runs, so test choices are applied to
`settings` in pytest_configure rather than through environment variables.
"""

import os

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# tests themselves are still synchronous. (Read by Django at call time, so setting it here works.)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    from django.conf import settings

    # Hashing cost is not under test; PBKDF2 at full strength would dominate the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Serve static files from the finders: no `collectstatic` manifest in tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.STATIC_ROOT = None
    # Live-server threads would otherwise keep their connections open past the run, and
    # PostgreSQL then refuses to drop the test database.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Transport security is not under test here: the test client speaks plain HTTP.
    settings.SECURE_SSL_REDIRECT = False


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached figures are keyed by a data generation
    that every test's rolled-back database starts again from."""
    from django.core.cache import cache

    cache.clear()
    yield
