"""Edited notification wording fills plain placeholders only."""

import pytest
from django.utils import translation

from gongchuang.common.errors import DomainError
from gongchuang.notifications.templating import check_placeholders, fill_placeholders


def test_plain_placeholders_are_filled_and_unknown_ones_kept():
    text = "作品《{title}》{unknown} {{原样}}"
    assert fill_placeholders(text, {"title": "水墨北京"}) == "作品《水墨北京》{unknown} {原样}"


@pytest.mark.parametrize(
    "text", ["{title:>999999999}", "{title!r}", "{title:{title}}", "{title.__class__}"]
)
def test_format_specs_conversions_and_attributes_are_never_applied(text):
    filled = fill_placeholders(text, {"title": "水墨北京"})
    assert len(filled) < 100 and "class" not in filled.replace("__class__", "")


@pytest.mark.parametrize("text", ["{title:>999999999}", "{title!r}"])
def test_committee_cannot_save_format_specs(text):
    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        check_placeholders("work.submitted", text)
    with translation.override("zh-hans"):
        assert "占位符只能写成花括号里的名称" in str(refused.value.message)


def test_a_stray_brace_leaves_the_text_as_written():
    assert fill_placeholders("成绩 {title", {"title": "x"}) == "成绩 {title"
