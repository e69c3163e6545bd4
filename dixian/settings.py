"""Settings for dixian, read from environment variables (see README, 配置)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE

from dixian.env import database_from_url, env_bool, env_int, env_list, env_str, secret_key_file

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DIXIAN_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DIXIAN_DEBUG", False)
# Without DIXIAN_SECRET_KEY a random key is made once and kept in var/secret_key (0600),
# so a single-host install needs no setup and never runs on a known key.
SECRET_KEY = env_str("DIXIAN_SECRET_KEY", "") or secret_key_file(VAR_DIR / "secret_key")

ALLOWED_HOSTS = env_list("DIXIAN_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DIXIAN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs' Swagger UI from our static files, not a CDN
    "dixian.core",
    "dixian.areas",
    "dixian.accounts",
    "dixian.registry",
    "dixian.monitoring",
    "dixian.employment",
    "dixian.income",
    "dixian.dataquality",
    "dixian.exports",
    "dixian.imports",
    "dixian.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "dixian.core.middleware.ClientAddressMiddleware",
    "dixian.core.middleware.RejectNulMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dixian.urls"
WSGI_APPLICATION = "dixian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dixian" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dixian.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dixian.sqlite3'}"), BASE_DIR)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# The project-wide static files (vendored Bootstrap, htmx, ECharts; our css/js) live
# outside any app, so the app-directories finder alone would not find them.
STATICFILES_DIRS = [BASE_DIR / "dixian" / "static"]
# Hashed, compressed static files need `collectstatic`; development and tests serve from the finders.
STATIC_MANIFEST = env_bool("DIXIAN_STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

SESSION_COOKIE_AGE = env_int("DIXIAN_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Served over HTTPS (the default outside debug): secure cookies, redirect to HTTPS, HSTS.
# A county intranet that only has plain HTTP sets DIXIAN_HTTPS=0 and accepts the risk.
HTTPS = env_bool("DIXIAN_HTTPS", not DEBUG)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DIXIAN_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DIXIAN_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DIXIAN_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DIXIAN_HSTS_PRELOAD", True)

# Behind a reverse proxy: the proxies' addresses. Only a request from one of them has its
# X-Forwarded-For / X-Forwarded-Proto believed (client address for the audit trail and the
# login lockout; HTTPS detection).
TRUSTED_PROXIES = env_list("DIXIAN_TRUSTED_PROXIES", [])
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: scripts and everything else only from our own origin; no inline
# script anywhere (tests check every page). Inline styles stay allowed: ECharts and
# Bootstrap set element styles, and a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login lockout (django-axes): after DIXIAN_LOGIN_FAILURES failed logins for one user name
# from one address, that pair is locked for DIXIAN_LOCKOUT_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DIXIAN_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("DIXIAN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Sign-ins and sign-outs (AccessLog) and failed sign-ins (AccessFailureLog) with address and
# browser: the audit page shows them beside the audit events.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "dixian.core.middleware.client_ip"

# Shared by every worker process of the host (cached dashboard figures, keyed by data
# generation); a multi-host install points DIXIAN_CACHE_DIR at shared storage or uses Redis.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("DIXIAN_CACHE_DIR", str(VAR_DIR / "cache")),
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# An uploaded xlsx/ods that would unpack to more than this is refused unread (zip bombs).
IMPORT_MAX_UNPACKED_MB = env_int("DIXIAN_IMPORT_MAX_UNPACKED_MB", 512)

DIXIAN_COUNTY_CODE = env_str("DIXIAN_COUNTY_CODE", "360724000000")
# The county bureau's public consultation phone printed on the 明白纸 (a landline, never a personal mobile).
DIXIAN_COUNTY_HOTLINE = env_str("DIXIAN_COUNTY_HOTLINE", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DIXIAN_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}
