"""Password length rule with a message that is translated.

Django 5.2 changed the wording of ``MinimumLengthValidator``'s error to a ``%d``
message that its Chinese catalogue does not have yet, so people saw English;
this subclass uses our own (translated) message.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
