"""Rendering message templates: the committee's wording if set, else the built-in default."""

import string

from django.utils.translation import gettext as _

from gongchuang.common.errors import DomainError

from .defaults import TEMPLATES
from .models import NotificationTemplate


class _KeepMissing(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill_placeholders(text: str, context: dict) -> str:
    try:
        return text.format_map(_KeepMissing({k: str(v) for k, v in context.items()}))
    except (ValueError, IndexError, AttributeError, KeyError):
        # A stray brace in edited wording must never stop a notification.
        return text


def template_for(kind: str) -> tuple[str, str]:
    """(subject, body) templates of ``kind``, the stored override first."""
    stored = NotificationTemplate.objects.filter(kind=kind).first()
    if stored is not None:
        return stored.subject, stored.body
    default = TEMPLATES[kind]
    return default.subject, default.body


def render_message(kind: str, context: dict) -> tuple[str, str]:
    """The subject and body of a message of ``kind`` filled with ``context``."""
    subject, body = template_for(kind)
    return fill_placeholders(subject, context), fill_placeholders(body, context)


def check_placeholders(kind: str, text: str) -> None:
    """Refuse wording with unknown placeholders or unbalanced braces (DomainError)."""
    allowed = set(TEMPLATES[kind].placeholders)
    try:
        names = {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
    except ValueError as exc:
        raise DomainError(
            _("The text has an unmatched brace. Write placeholders like {title}."),
            code="bad_template",
        ) from exc
    unknown = sorted(names - allowed)
    if unknown:
        raise DomainError(
            _("Unknown placeholders: %(names)s. Available: %(allowed)s.")
            % {
                "names": "、".join("{" + n + "}" for n in unknown),
                "allowed": "、".join("{" + n + "}" for n in TEMPLATES[kind].placeholders),
            },
            code="bad_template",
        )
