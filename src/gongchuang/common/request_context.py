"""The request that is being served, for services that record who did what from where.

Services take ``actor`` explicitly; the client IP is read from here so that no
service signature needs a ``request`` argument. Outside a request (commands,
tasks) the values are empty.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestMeta:
    ip: str | None = None
    user_agent: str = ""


_current: ContextVar[RequestMeta] = ContextVar("gongchuang_request_meta", default=RequestMeta())


def current_request_meta() -> RequestMeta:
    return _current.get()


def set_request_meta(meta: RequestMeta):
    return _current.set(meta)


def reset_request_meta(token) -> None:
    _current.reset(token)
