import datetime

from gongchuang.reports import charts


def test_bar_chart_escapes_labels_and_shows_values():
    svg = str(charts.bar_chart(["<script>x</script>", "海淀区"], [3, 12], title="各区"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title>各区</title>" in svg
    assert ">12</text>" in svg and ">3</text>" in svg
    assert "style=" not in svg  # CSP: no inline styles


def test_bar_lengths_are_proportional():
    svg = str(charts.bar_chart(["a", "b"], [5, 10], title="t"))
    # Axis maximum 10 → the 10 bar spans the whole plot (430 px), the 5 bar half of it.
    assert 'width="430.0"' in svg and 'width="215.0"' in svg


def test_line_chart_marks_the_deadline():
    day = datetime.date(2026, 5, 1)
    points = [(day + datetime.timedelta(days=i), v) for i, v in enumerate([1, 4, 2])]
    svg = str(charts.line_chart(points, title="每日", marker=(datetime.date(2026, 5, 10), "截止")))
    assert 'data-deadline="2026-05-10"' in svg and "截止 05-10" in svg
    assert svg.count("<circle") == 3


def test_column_chart_handles_all_zero():
    svg = str(charts.column_chart(["0–60", "60–70"], [0, 0], title="分布"))
    assert svg.count("<rect") == 2 and 'height="0.0"' in svg
