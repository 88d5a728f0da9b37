"""Fixtures of the accounts tests."""

import pytest


@pytest.fixture
def sms_dir(settings, tmp_path):
    """Texts go to files (SMS_BACKEND=file), with no wait between codes."""
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    settings.SMS_CODE_RESEND_SECONDS = 0
    return tmp_path / "sms"
