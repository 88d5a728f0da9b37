import pytest
from django.core import signals
from django.db import close_old_connections

from gongchuang.reports.services import api_token_create


@pytest.fixture
def token_for(roles):
    def make(user) -> str:
        return api_token_create(user=user, name="测试", actor=roles["committee"])[1]

    return make


@pytest.fixture
def in_process_wsgi():
    """Call the WSGI app in the test's own transaction: keep Django from closing the
    connection at request boundaries (what django.test.Client does too)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
