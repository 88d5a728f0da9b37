from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gongchuang.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import dashboard, demo, nav, signals  # noqa: F401
        from .kept_users import forget_kept_user
        from .models import Membership, User

        for model in (User, Membership):
            for signal in (post_save, post_delete):
                signal.connect(forget_kept_user, sender=model, dispatch_uid=f"forget-{model}")
