"""What can go wrong when a provider sends a text message, and whether to try again."""


class SmsError(Exception):
    """A message the provider did not accept. ``retryable``: the outbox tries again later
    (with back-off); otherwise the delivery fails at once (trying again cannot help)."""

    retryable = True
    reason = "error"

    def __init__(self, message: str = "", *, provider_code: str = ""):
        super().__init__(message or provider_code or self.reason)
        self.provider_code = provider_code


class InvalidNumber(SmsError):
    retryable = False
    reason = "invalid_number"


class ProviderRateLimited(SmsError):
    """The provider's own frequency limit for the number or the account."""

    retryable = True
    reason = "rate_limited"


class TemplateNotApproved(SmsError):
    """Template or signature missing, not approved, or its parameters do not match."""

    retryable = False
    reason = "template_not_approved"


class AuthFailure(SmsError):
    """Wrong or disabled keys, a bad signature, or an account without balance."""

    retryable = False
    reason = "auth_failure"


class ProviderUnavailable(SmsError):
    """Network trouble or the provider's internal error."""

    retryable = True
    reason = "unavailable"


def classify(code: str, table: dict[str, type[SmsError]], prefixes: dict[str, type[SmsError]]):
    """The error class of a provider's code: exact entries first, then code prefixes;
    unknown codes are retried (a transient fault is the safer guess)."""
    if code in table:
        return table[code]
    for prefix, cls in prefixes.items():
        if code.startswith(prefix):
            return cls
    return ProviderUnavailable
