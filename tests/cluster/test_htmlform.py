"""bench/htmlform.py: what the cluster rig's driver submits for a form, as a browser would."""

import pytest
from bench.htmlform import field_names, form_fields, option_value

PAGE = """
<form method="post" action="/accounts/logout/">
  <input type="hidden" name="csrfmiddlewaretoken" value="t0"></form>
<form method="post" novalidate>
  <input type="hidden" name="csrfmiddlewaretoken" value="t1">
  <input type="text" name="title" value="旧标题">
  <input type="checkbox" name="check_a" checked>
  <input type="checkbox" name="check_b" value="yes">
  <input type="radio" name="decision" value="recommend">
  <input type="radio" name="decision" value="return" checked>
  <input type="file" name="file">
  <button type="submit" name="submit">提交</button>
  <select name="unit"><option value="">---</option><option value="7">海淀区</option>
    <option value="9" selected>朝阳区</option></select>
  <select name="level"><option>初中</option><option>高中</option></select>
  <textarea name="note">第一行
第二行</textarea>
</form>
"""


def test_form_fields_are_the_initial_submission_of_the_form_without_action():
    assert form_fields(PAGE) == {
        "csrfmiddlewaretoken": "t1",
        "title": "旧标题",
        "check_a": "on",
        "decision": "return",
        "unit": "9",
        "level": "初中",
        "note": "第一行\n第二行",
    }


def test_form_fields_by_action_and_every_control_name():
    assert form_fields(PAGE, "/accounts/logout/") == {"csrfmiddlewaretoken": "t0"}
    assert field_names(PAGE) == [
        "csrfmiddlewaretoken",
        "title",
        "check_a",
        "check_b",
        "decision",
        "decision",
        "unit",
        "level",
        "note",
    ]
    with pytest.raises(KeyError):
        form_fields(PAGE, "/elsewhere/")


def test_option_value_by_the_text_shown():
    assert option_value(PAGE, "unit", "海淀") == "7"
    assert option_value(PAGE, "level", "高中") == "高中"  # no value attribute: the text
    with pytest.raises(KeyError):
        option_value(PAGE, "unit", "西城")
