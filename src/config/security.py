"""Security settings: HTTPS, cookies, HSTS, the Content Security Policy, and the login
lockout and rate limits (read by config/settings.py).

``HTTPS=true`` turns on the redirect, secure cookies and HSTS; ``manage.py check --deploy``
is clean with it (docs/deploy.md). The policy has no ``unsafe-inline``: templates carry no
inline scripts or styles (tests/security/test_headers.py).
"""

import environ

env = environ.Env()

# --- HTTPS, cookies and headers --------------------------------------------
HTTPS = env.bool("HTTPS", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# Where our reverse proxy connects from: only its X-Forwarded-For is believed (common.middleware).
TRUSTED_PROXY_IPS = env.list("TRUSTED_PROXY_IPS", default=["127.0.0.1", "::1"])
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# --- Login lockout (django-axes) and rate limits ----------------------------
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
# Lock a username from one address only: wrong passwords typed elsewhere cannot lock
# an organiser out (a lockout by username alone is a denial of service), and a whole
# school lab behind one address is not stopped by one pupil either. Guessing across
# many usernames is bounded by LOGIN_RATE_LIMIT_PER_IP (accounts.ratelimit).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "gongchuang.common.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "gongchuang.accounts.views.signin.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# Attempts per client address and window (POSTs of the login and registration forms);
# more get 429. A school lab registers and signs in a class from one address.
LOGIN_RATE_LIMIT_PER_IP = env.int("LOGIN_RATE_LIMIT_PER_IP", default=100)
LOGIN_RATE_LIMIT_WINDOW_SECONDS = env.int("LOGIN_RATE_LIMIT_WINDOW_SECONDS", default=600)
REGISTRATION_RATE_LIMIT_PER_IP = env.int("REGISTRATION_RATE_LIMIT_PER_IP", default=100)
REGISTRATION_RATE_LIMIT_WINDOW_SECONDS = env.int(
    "REGISTRATION_RATE_LIMIT_WINDOW_SECONDS", default=3600
)
