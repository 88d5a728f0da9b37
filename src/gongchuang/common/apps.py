from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_tables(*, using: str, **_kwargs) -> None:
    """``migrate`` creates the table of a database cache (settings.CACHES): the embedded
    default shares its cache between processes there. Existing tables are left alone."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CommonConfig(AppConfig):
    name = "gongchuang.common"
    label = "common"
    verbose_name = _("Common")

    def ready(self) -> None:
        # Registered on import: the SITE_URL and secrets checks.
        from . import site_checks  # noqa: F401

        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="create_cache_tables")
