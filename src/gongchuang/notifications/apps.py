from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "gongchuang.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from gongchuang.accounts import outbox

        # why: these modules import models, which exist only once the app registry is ready.
        from . import dashboard, nav, personal_data, receivers, rules  # noqa: F401
        from .services import contacts_send, email_send, notify
        from .sms.codes import phone_code_check, phone_code_send, phone_normalise

        outbox.install(
            email_send=email_send,
            contacts_send=contacts_send,
            notify=notify,
            phone_code_send=phone_code_send,
            phone_code_check=phone_code_check,
            phone_normalise=phone_normalise,
        )
