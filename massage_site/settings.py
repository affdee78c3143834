"""Settings for the self-massage guide, read from environment variables.

Every value has a safe local default, so `make run` works with no configuration;
production sets DJANGO_ENV=production, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and
REDIS_URL, and refuses to start without the first three (see docs/operations.md, Security).
"""

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


# "production" insists on real secrets and HTTPS; "development" (the default) runs as is.
DJANGO_ENV = os.environ.get("DJANGO_ENV", "").strip().lower() or "development"
if DJANGO_ENV not in ("development", "production"):
    raise ImproperlyConfigured(f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}.")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_ENV=production needs DEBUG=0: debug pages show settings and code.")
    # A random key of 50 characters has 30 or more different ones; a made-up or repeated
    # one ("aaaa...", "abcabc...") has few, and falls to guessing.
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 20 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs SECRET_KEY: a random value of at least 50 characters, at least 20 of "
            "them different, e.g. from python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs ALLOWED_HOSTS: the comma-separated host names the site answers to."
        )
    if "*" in ALLOWED_HOSTS:
        # Any Host header would do: links in feeds, sitemaps and cached pages could name another site.
        raise ImproperlyConfigured(
            "DJANGO_ENV=production refuses ALLOWED_HOSTS=*: name the hosts the site answers to, "
            "comma-separated (e.g. massage.example.org,www.massage.example.org)."
        )
else:
    SECRET_KEY = SECRET_KEY or "django-insecure-local-only-set-SECRET_KEY-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "imagekit",
    "reversion",
    "adminsortable2",
    # The site pages' formatting editor: its static files only (massage_site/page_editor.py).
    "django_prose_editor",
    "csp",
    "axes",
    "content",
    "massage_site",
    "techniques",
    "routines",
]

MIDDLEWARE = [
    # First, so that every response (a cached page too) carries its own X-Request-ID and
    # every log line written while answering names it (massage_site/request_id.py).
    "massage_site.request_id.RequestIdMiddleware",
    # Then a cached page goes out at once, with the headers the middleware below gave it
    # when it was first rendered (see massage_site/page_cache.py).
    "massage_site.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Security headers go on every response (cached pages and static files too), so these
    # wrap everything below them. See docs/operations.md, Security.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The public site only reads: anything but GET and HEAD is a 405 (massage_site/http_methods.py).
    "massage_site.http_methods.ReadOnlyPublicSiteMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag on every page (cached or not), so a browser revalidating gets a 304.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes requires: turns a throttled sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "massage_site.urls"
WSGI_APPLICATION = "massage_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "massage_site.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# The cache must be one that every worker process shares: a save in one worker drops the
# cached pages, term list and search words for all of them. Redis for more than one
# machine; on one machine without it, a folder of files (per-process memory would let
# the other workers go on serving what a save had changed).
#
# A cache that stops answering must cost a page a fraction of a second, never hang it: every
# Redis connection gives up after REDIS_CONNECT_TIMEOUT / REDIS_TIMEOUT seconds, and then the
# worker skips the cache for CACHE_SKIP_SECONDS before trying it again, building pages from
# the database meanwhile (content/caching.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "content.caching.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT") or 0.25),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT") or 0.25),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "content.caching.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR") or BASE_DIR / "var" / "cache",
            # Every page at a hundred times today's content, with room for searches. Each
            # store lists the folder, so more entries than this would slow every miss.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
CACHES["default"]["SKIP_SECONDS"] = float(os.environ.get("CACHE_SKIP_SECONDS") or 5)
# Two databases never share cached entries, even when they share a Redis or a folder.
_database = DATABASES["default"]
CACHES["default"]["KEY_PREFIX"] = hashlib.sha256(
    f"{_database['ENGINE']}|{_database.get('HOST', '')}|{_database.get('PORT', '')}|{_database['NAME']}".encode()
).hexdigest()[:12]

# Warnings and errors, with tracebacks, go to stderr (gunicorn passes the workers' stderr on:
# the terminal under `make serve`, the service's journal in production), each line naming the
# request it happened in (the X-Request-ID response header: massage_site/request_id.py).
# LOG_LEVEL=INFO shows more. A 4xx is the access log's business, not a warning here.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "").strip().upper() or "WARNING"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "massage_site.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [request %(request_id)s] %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["request_id"],
            "formatter": "plain",
            "level": LOG_LEVEL,
        },
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", "level": "INFO"},
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        # Through the root handler, not Django's own (console only with DEBUG, mail to no ADMINS).
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # `make run`'s line per request, as Django has it by default.
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.request": {"level": "ERROR"},
        # Scanners that send someone else's Host: refused with a 400, not worth a line each.
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
    },
}

# django-axes first: it refuses sign-ins while a username + address is throttled.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# Hashed, compressed file names that browsers may cache for a year, our CSS and JS minified
# (massage_site/static_files.py). They need `collectstatic` first (`make serve` runs it);
# production sets STATIC_HASHED=1.
STATIC_HASHED = env_bool("STATIC_HASHED", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "massage_site.static_files.MinifiedManifestStorage"
        if STATIC_HASHED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Pictures (uploads, their renditions, seeded pictures) in S3-compatible object storage
# when AWS_STORAGE_BUCKET_NAME is set, so that any number of machines share them; else the
# MEDIA_ROOT folder. Every picture gets a new name, so its URL never changes content: public,
# unsigned URLs that browsers and a CDN may keep for a year. See docs/operations.md.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            # Unset: boto3 finds them itself (instance role, ~/.aws, its own variables).
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "default_acl": os.environ.get("AWS_DEFAULT_ACL") or None,
            "querystring_auth": False,
            # A name is never written twice: a clash gets a new name, never new bytes at an old URL.
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
# Serve uploads from Django itself (one machine); off when media is in object storage.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG and not AWS_STORAGE_BUCKET_NAME)

# Uploads over this size are refused by the illustration validation: 10 MB, in millions of
# bytes as the help text and the error say (and as most file browsers count).
MAX_UPLOAD_BYTES = 10_000_000

# A second pair of eyes: publishing a draft needs another editor's approval (content/approvals.py;
# docs/editors.md, docs/operations.md). Off unless PUBLISHING_NEEDS_APPROVAL=1.
PUBLISHING_NEEDS_APPROVAL = env_bool("PUBLISHING_NEEDS_APPROVAL", False)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
TAGGIT_CASE_INSENSITIVE = True

SITE_NAME = "Self-massage guide"
SITE_TAGLINE = "Learn to massage your own back, feet, stomach, legs, arms, hands, neck and shoulders, step by step."


# --- Security (see docs/operations.md, Security) -------------------------------------

# Signed-in sessions last a working day at most, and end when the browser closes.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # forms carry the token; no script needs the cookie
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The only sign-in is the admin's: land on its index, also when `next` is missing or unsafe.
LOGIN_REDIRECT_URL = "admin:index"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Features no page uses are switched off; guided mode keeps the screen awake.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
    "screen-wake-lock": ["self"],
}

# One static policy for every page: no inline script or style, nothing from other sites.
# Static, not per-request nonces, because the page cache serves the same bytes to everyone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

if AWS_STORAGE_BUCKET_NAME:
    # Pages show pictures from the bucket's (or its CDN's) address.
    _options = STORAGES["default"]["OPTIONS"]
    if _options["custom_domain"]:
        _pictures = [f"https://{_options['custom_domain']}"]
    elif _options["endpoint_url"]:
        _endpoint = _options["endpoint_url"].rstrip("/")
        _scheme, _host = _endpoint.split("://", 1)
        _pictures = [_endpoint, f"{_scheme}://{AWS_STORAGE_BUCKET_NAME}.{_host}"]
    else:
        _pictures = [f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"]
        if _options["region_name"]:
            _pictures.append(f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{_options['region_name']}.amazonaws.com")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += _pictures
    # The service worker fetches them too, to keep a routine's pictures for offline use.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"] += _pictures

if PRODUCTION:
    # HTTPS only. Behind a proxy that ends TLS, name the header it sets, e.g.
    # SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto (the proxy must overwrite it on every request).
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if os.environ.get("SECURE_PROXY_SSL_HEADER"):
        _header = os.environ["SECURE_PROXY_SSL_HEADER"].strip().upper().replace("-", "_")
        SECURE_PROXY_SSL_HEADER = (f"HTTP_{_header}", "https")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True

# Sign-in throttling (django-axes): after 5 failed attempts for one username from one
# address, the next attempt from that pair is refused, even with the right password, until
# 15 minutes have passed since the last attempt; a success before that clears the count.
# The 5th failure itself is answered like the others (see login_throttle.lockout_response).
# Failed and successful sign-ins are kept in the database (admin: Axes).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "massage_site.login_throttle.lockout_response"
# The client's address: REMOTE_ADDR, or behind N trusted proxies the Nth address from the
# right of X-Forwarded-For (TRUSTED_PROXY_COUNT=N).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "massage_site.login_throttle.client_ip"
