"""Shared form fields."""

import pytest
from django import forms

from gongchuang.common.fields import ObjectChoiceField


class Thing:
    def __init__(self, pk, name):
        self.pk, self.name = pk, name

    def __str__(self):
        return self.name


class ThingForm(forms.Form):
    thing = ObjectChoiceField(label="东西")

    def __init__(self, *args, things=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thing"].objects = things


THINGS = [Thing(3, "甲"), Thing(7, "乙")]


def test_object_choice_field_offers_the_objects_and_cleans_to_the_chosen_one():
    form = ThingForm({"thing": "7"}, things=THINGS)
    assert form.fields["thing"].choices == [("3", "甲"), ("7", "乙")]
    assert form.is_valid()
    assert form.cleaned_data["thing"] is THINGS[1]
    html = str(ThingForm({"thing": "7"}, things=THINGS)["thing"])
    assert '<option value="7" selected>乙</option>' in html


@pytest.mark.parametrize("posted", ["5", "x", "3 ", "\x00", "9" * 30])
def test_object_choice_field_refuses_what_is_not_offered(posted):
    form = ThingForm({"thing": posted}, things=THINGS)
    assert not form.is_valid()
    assert form.errors["thing"]


def test_object_choice_field_is_required_unless_told_otherwise():
    assert not ThingForm({}, things=THINGS).is_valid()
    form = ThingForm({}, things=THINGS)
    form.fields["thing"].required = False
    assert form.is_valid() and form.cleaned_data["thing"] is None
