import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

# gunicorn runs no system check: refuse to serve with a configuration whose printed links or
# per-host secrets would be wrong (the checks tagged "config", gongchuang/common/site_checks.py).
from django.core import checks  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

_errors = [e for e in checks.run_checks(tags=["config"]) if e.is_serious() and not e.is_silenced()]
if _errors:
    raise ImproperlyConfigured("\n".join(str(e) for e in _errors))

# Import now what the first submission would otherwise import inside its request: the
# screening pre-check task pulls in the similarity index (numpy/scipy/datasketch), which
# took seconds of the first submission each worker served in ./scripts/bench.
import gongchuang.screening.tasks  # noqa: E402, F401

# isort: split

# Likewise the URLconf, and with it every view module (the API, spreadsheets…): loaded here,
# at worker start, instead of inside each worker's first request.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018 - the attribute access loads the URLconf
