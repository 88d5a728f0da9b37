"""Seed a fault-test instance from a ``manage.py shell -c`` subprocess (the tests' own helpers).

``drafts_script(usernames)``: the current edition (every window open, like the demo) and one
student per username, each with a complete AI-art draft ready to submit. The script prints
``WORKS {"username": work pk, ...}``; ``work_pks(output)`` reads it back.
"""

import json
import textwrap

_SCRIPT = textwrap.dedent("""
    import datetime, json
    from django.utils import timezone
    from gongchuang.editions import defaults
    from gongchuang.editions.services import edition_create_from_defaults, edition_make_current
    from tests.factories import people
    from tests.submissions.helpers import complete_art_work
    edition, _ = edition_create_from_defaults(
        year=2026, slug="t2026", code="2026", windows=defaults.demo_windows(timezone.now()))
    edition_make_current(edition=edition)
    school = people.units_and_schools()["hd_school"]
    works = {}
    for n, username in enumerate(USERNAMES):
        student = people.student(  # distinct people (name + birth date make the identity)
            school, username=username, real_name=f"学生{n}",
            birth_date=datetime.date(2012, 3, 1) + datetime.timedelta(days=n))
        works[username] = complete_art_work(edition, student, title=f"作品{n}").pk
    print("WORKS", json.dumps(works))
""")


def drafts_script(usernames: list[str]) -> str:
    return f"USERNAMES = {list(usernames)!r}\n{_SCRIPT}"


def work_pks(output: str) -> dict[str, int]:
    line = next(line for line in output.splitlines() if line.startswith("WORKS "))
    return json.loads(line.removeprefix("WORKS "))
