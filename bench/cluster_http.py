"""The cluster rig's HTTP side: one person's browser session and the run's findings."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
from bench.htmlform import form_fields
from bench.run import PASSWORD  # the demo accounts' (and bench/setup_instance.py students')


@dataclass
class Outcome:
    failures: list[str] = field(default_factory=list)
    uploads_ok: bool = False
    certificate_links_ok: bool = False
    submissions_per_s: dict[str, float] = field(default_factory=dict)

    def check(self, condition: bool, what: str) -> bool:
        if not condition:
            self.failures.append(what)
        return condition


class Browser:
    """One person's cookies on an httpx client; unsafe requests carry the CSRF token and
    the ``Origin`` a browser sends."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.client = httpx.AsyncClient(base_url=base_url, timeout=180)

    def _headers(self, extra: dict | None = None) -> dict:
        headers = {"Origin": self.base_url, "Referer": self.base_url + "/"}
        token = self.client.cookies.get("csrftoken")
        if token:
            headers["X-CSRFToken"] = token
        return {**headers, **(extra or {})}

    async def get(self, path: str) -> httpx.Response:
        return await self.client.get(path)

    async def post(self, path: str, data: dict | None = None, **kwargs) -> httpx.Response:
        return await self.client.post(path, data=data, headers=self._headers(), **kwargs)

    async def send(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = self._headers(kwargs.pop("headers", None))
        return await self.client.request(method, path, headers=headers, **kwargs)

    async def login(self, username: str, password: str = PASSWORD) -> bool:
        page = await self.get("/accounts/login/")
        fields = form_fields(page.text)
        fields.update(username=username, password=password)
        return (await self.post("/accounts/login/", fields)).status_code == 302

    async def close(self) -> None:
        await self.client.aclose()
