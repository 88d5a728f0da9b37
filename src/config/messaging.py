"""Settings of the outgoing channels, e-mail and SMS (read by config/settings.py).

Both are queued in one outbox (gongchuang/notifications/outbox.py): sent after commit,
claimed before sending, retried with back-off.
"""

import environ

from .paths import var_dir

env = environ.Env()
VAR_DIR = var_dir()

# --- Email ----------------------------------------------------------------
EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="共创平台 <noreply@gongchuang.local>")
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=6)
# A worker claims an e-mail before sending it; a claim older than this (the worker died)
# may be taken over. Far longer than one send can take (EMAIL_TIMEOUT).
EMAIL_CLAIM_TIMEOUT_SECONDS = env.int("EMAIL_CLAIM_TIMEOUT_SECONDS", default=600)

# --- SMS (gongchuang/notifications/sms) --------------------------------------
# console (standard output), file (one file per message under SMS_FILE_PATH), aliyun,
# tencent, or a dotted class path. Queued in the same outbox as e-mail (same claim lease).
SMS_BACKEND = env("SMS_BACKEND", default="console")
SMS_FILE_PATH = env("SMS_FILE_PATH", default=str(VAR_DIR / "sms"))
SMS_SIGN_NAME = env("SMS_SIGN_NAME", default="共创平台")
# The provider's approved template of each message: the verification code ("code",
# parameter ``code``) and the key notices by kind, e.g. "code=SMS_1,work.returned=SMS_2".
# A notice's code may also be set on its template page (notifications/templates/).
SMS_TEMPLATE_CODES = env.dict("SMS_TEMPLATE_CODES", default={})
SMS_ALIYUN_ACCESS_KEY_ID = env("SMS_ALIYUN_ACCESS_KEY_ID", default="")
SMS_ALIYUN_ACCESS_KEY_SECRET = env("SMS_ALIYUN_ACCESS_KEY_SECRET", default="")
SMS_ALIYUN_ENDPOINT = env("SMS_ALIYUN_ENDPOINT", default="dysmsapi.aliyuncs.com")
SMS_TENCENT_SECRET_ID = env("SMS_TENCENT_SECRET_ID", default="")
SMS_TENCENT_SECRET_KEY = env("SMS_TENCENT_SECRET_KEY", default="")
SMS_TENCENT_SDK_APP_ID = env("SMS_TENCENT_SDK_APP_ID", default="")
SMS_TENCENT_REGION = env("SMS_TENCENT_REGION", default="ap-guangzhou")
SMS_MAX_ATTEMPTS = env.int("SMS_MAX_ATTEMPTS", default=4)
# Verification codes requested per phone number and per client address and day.
SMS_DAILY_LIMIT_PER_NUMBER = env.int("SMS_DAILY_LIMIT_PER_NUMBER", default=10)
SMS_DAILY_LIMIT_PER_IP = env.int("SMS_DAILY_LIMIT_PER_IP", default=50)
SMS_CODE_RESEND_SECONDS = env.int("SMS_CODE_RESEND_SECONDS", default=60)
