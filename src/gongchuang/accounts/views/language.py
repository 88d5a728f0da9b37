"""The language switch: the cookie (Django's ``set_language``) and, for a signed-in person,
the account, so that the choice follows them to other devices (applied on signing in)."""

from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from gongchuang.common.middleware import chosen_language

from ..services import user_language_set


@require_POST
def set_language(request):
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and chosen_language(language) == language:
        user_language_set(user=request.user, language=language)
    return response
