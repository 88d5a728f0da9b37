"""The dashboard's table rows escape every cell, like the template engine would."""

from django.template import Context, Template
from django.utils.safestring import mark_safe


def _render(rows) -> str:
    template = Template("{% load report_tables %}{% table_body_rows rows %}")
    return template.render(Context({"rows": rows}))


def test_cells_are_escaped_and_numbers_shown_as_is():
    html = _render([["<script>alert(1)</script>", 12, 'O\'Neil & "Co"'], ["海淀区", 0, 3.5]])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "O&#x27;Neil &amp; &quot;Co&quot;" in html
    assert html.count("<tr>") == 2 and "<td>12</td>" in html and "<td>3.5</td>" in html
    assert "<td>海淀区</td>" in html


def test_safe_cells_are_kept_and_empty_tables_render_nothing():
    assert _render([[mark_safe("<b>5</b>")]]) == "<tr><td><b>5</b></td></tr>"
    assert _render([]) == ""


def test_same_markup_as_the_template_loop():
    rows = [["a<b", 1], ["c&d", 2]]
    loop = Template(
        "{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>"
        "{% endfor %}"
    ).render(Context({"rows": rows}))
    assert _render(rows) == loop
