"""PlainSelect writes the same HTML as Django's Select (attributes in another order)."""

import pytest
from django import forms
from django.test.html import parse_html

from gongchuang.common.widgets import PlainSelect

CHOICES = [("", "全部"), ("1", "学校<一>"), ("2", "学校&二"), (3, "三")]


@pytest.mark.parametrize("value", [None, "", "2", 3, "missing"])
def test_plain_select_renders_like_django(value):
    attrs = {"id": "id_school", "class": "wide"}
    django_html = forms.Select(choices=CHOICES).render("school", value, attrs)
    plain_html = PlainSelect(choices=CHOICES).render("school", value, attrs)
    assert parse_html(plain_html) == parse_html(django_html)


def test_plain_select_escapes_labels_and_marks_the_selected_option():
    html = PlainSelect(choices=CHOICES).render("school", "2", {"id": "s"})
    assert '<option value="2" selected>学校&amp;二</option>' in html
    assert "学校&lt;一&gt;" in html
