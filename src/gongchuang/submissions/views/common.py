"""What the submissions pages share."""

from collections.abc import Callable

from django.contrib import messages

from gongchuang.common.errors import DomainError


def run_action(request, action: Callable[[], object], success: str) -> bool:
    """Call one service; its DomainError becomes an error message, else ``success`` is shown.

    Returns whether the service succeeded.
    """
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True
