"""The integration API (django-ninja), mounted at ``/api/v1/`` by ``config.urls``."""
