"""The in-process test client that ``explain_page.py`` and ``profile_page.py`` share."""

import os


def page_client(user: str = ""):
    """Set Django up (``config.settings``, static files unhashed unless the environment says
    otherwise) and return a ``django.test.Client``, logged in as ``user`` if one is named.
    ``src`` must already be on ``sys.path``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault(
        "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    import django

    django.setup()
    from django.test import Client

    client = Client()
    if user:
        from gongchuang.accounts.models import User

        client.force_login(User.objects.get(username=user))
    return client
