"""Django on a throwaway SQLite database, for the single-process benchmarks.

``export.py`` and ``portal.py`` each run against their own temporary ``var_dir``; the
storage setting spares them a ``collectstatic``.
"""

import os


def setup_django(var_dir: str) -> None:
    os.environ["GONGCHUANG_VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = f"sqlite:///{var_dir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault(
        "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    import django  # why: only once the environment above is set (and never in a parent
    # process whose memory a benchmark measures)

    django.setup()
