import json

import pytest


@pytest.mark.django_db
def test_healthz_reports_ok_when_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_database_fails(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["status"] == "error"


def test_home_shows_theme_and_current_phase(client, edition):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "与AI共创未来" in body
    assert "网上申报" in body  # the open submission window is listed with its deadline


def test_home_in_english_after_language_switch(client, edition):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert "Online submission" in body and "网上申报" not in body
