import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$", _("Enter an 11-digit mainland China mobile number.")
)


class LettersAndDigitsValidator:
    """Passwords must contain both letters and digits (common 等保 practice)."""

    def validate(self, password, user=None):
        if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
            raise ValidationError(
                _("Your password must contain both letters and digits."), code="password_mix"
            )

    def get_help_text(self):
        return _("Your password must contain both letters and digits.")
