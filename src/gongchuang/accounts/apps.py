from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gongchuang.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from gongchuang.common.kept import forget_on_change

        from . import dashboard, demo, nav, rules, signals  # noqa: F401
        from .kept_users import forget_user_of
        from .models import Membership, User

        forget_on_change(forget_user_of, User, Membership, uid="kept-user")
