"""Portal views: ``public`` for everyone, ``manage`` for the committee and unit organizers."""

from .public import healthz, home  # noqa: F401
