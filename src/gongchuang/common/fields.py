"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError

MAX_ID = 2**63 - 1  # the largest primary key the databases store (a signed 64-bit integer)


def is_id(value) -> bool:
    """Whether a posted value can be a primary key: ASCII digits, within 64 bits."""
    text = str(value)
    return text.isascii() and text.isdigit() and int(text) <= MAX_ID


class ModelMultipleIdField(forms.ModelMultipleChoiceField):
    """A multiple choice of objects by id that refuses what cannot be an id before querying.

    Django checks the posted values with ``pk__in``; SQLite cannot even bind an integer past
    64 bits there (OverflowError: a server error). Refused, it is the usual form error.
    """

    def clean(self, value):
        if self.to_field_name is None and isinstance(value, (list, tuple)):
            for pk in value:
                if not is_id(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super().clean(value)


class ObjectChoiceField(forms.ChoiceField):
    """A choice among objects the view already holds (a list, not a queryset): rendered and
    cleaned without a query, cleaned to the chosen object. ``label_from`` names each option
    (``str`` by default)."""

    def __init__(self, *, objects=(), label_from=str, **kwargs):
        super().__init__(**kwargs)
        self.label_from = label_from
        self.objects = objects

    @property
    def objects(self):
        return self._objects

    @objects.setter
    def objects(self, objects):
        self._objects = {str(obj.pk): obj for obj in objects}
        self.choices = [(key, self.label_from(obj)) for key, obj in self._objects.items()]

    def to_python(self, value):
        key = super().to_python(value)
        if not key:
            return None
        if key not in self._objects:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": key}
            )
        return self._objects[key]

    def validate(self, value):
        forms.Field.validate(self, value)  # required; the choice itself is checked above
