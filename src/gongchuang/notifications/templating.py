"""Rendering message templates: the committee's wording if set, else the built-in default."""

import string

from django.utils.translation import gettext as _

from gongchuang.common.errors import DomainError

from .defaults import TEMPLATES
from .models import NotificationTemplate


def fill_placeholders(text: str, context: dict) -> str:
    """``{name}`` replaced by ``context[name]``; anything else is left as written.

    Only plain names are filled: a format spec or conversion (``{title:>999999999}``,
    ``{title!r}``) or attribute access in edited wording is ignored, so wording cannot
    build a huge string or reach into objects. ``{{``/``}}`` give literal braces.
    """
    values = {k: str(v) for k, v in context.items()}
    try:
        parts = []
        for literal, name, _spec, _conversion in string.Formatter().parse(text):
            parts.append(literal)
            if name is not None:
                parts.append(values.get(name, "{" + name + "}"))
        return "".join(parts)
    except ValueError:
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
        fields = [(name, spec, conv) for _lit, name, spec, conv in string.Formatter().parse(text)]
    except ValueError as exc:
        raise DomainError(
            _("The text has an unmatched brace. Write placeholders like {title}."),
            code="bad_template",
        ) from exc
    if any(spec or conv for name, spec, conv in fields if name is not None):
        raise DomainError(
            _("Placeholders are written as a name in braces only, like {title}."),
            code="bad_template",
        )
    names = {name for name, _spec, _conv in fields if name}
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
