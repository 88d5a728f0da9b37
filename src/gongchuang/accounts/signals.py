"""Logins, logouts and failed logins go into the audit history; signing in applies the
account's chosen interface language; the school merge signal."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import Signal, receiver
from django.utils import translation

from gongchuang.common.audit import audit_record

# Sent inside ``schools.school_merge``'s transaction once every row pointing at ``source``
# points at ``target``, before ``source`` is deleted: kwargs source, target. Apps keeping
# figures per school move them here (submissions.counts).
school_merging = Signal()


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", obj=user)
    if request is not None and user.language:
        # The language middleware writes the cookie on this response (common.middleware).
        request.language_choice = user.language
        translation.activate(user.language)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    login = str(credentials.get("username", ""))[:100]
    audit_record(actor=None, action="auth.login_failed", after={"login": login})
