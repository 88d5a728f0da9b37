"""Teaching cases in the library: filters (学段, subject, AI topic) and downloads that follow
the licence the authors chose (view only: no download link, the download URL refuses)."""

import pytest
from django.urls import reverse

from gongchuang.submissions.enums import AiTopic, CaseLicence, CaseSubject

from ..factories import people
from .helpers import add_file, make_work

pytestmark = pytest.mark.django_db


def _case(edition, school, author, *, title, licence, **fields):
    work = make_work(
        edition, category="teaching_case", school=school, title=title, level="",
        author=author,
    )  # fmt: skip
    for name, value in {"case_licence": licence, **fields}.items():
        setattr(work, name, value)
    work.save()
    return work


@pytest.fixture
def cases(edition, units):
    teacher = people.teacher(units["hd_school"], username="case_teacher")
    open_case = _case(
        edition, units["hd_school"], teacher, title="数据讲故事", licence=CaseLicence.CC_BY_NC,
        case_level="junior", case_subject=CaseSubject.MATHEMATICS, ai_topic=AiTopic.DATA,
    )  # fmt: skip
    closed_case = _case(
        edition, units["hd_school"], teacher, title="认识图像识别",
        licence=CaseLicence.VIEW_ONLY, case_level="primary", case_subject=CaseSubject.SCIENCE,
        ai_topic=AiTopic.ALGORITHM,
    )  # fmt: skip
    return {
        "open": open_case,
        "open_pdf": add_file(open_case, kind="pdf", name="教学设计.pdf"),
        "closed": closed_case,
        "closed_pdf": add_file(closed_case, kind="pdf", name="课件.pdf"),
    }


def _titles(client, **query) -> list[str]:
    page = client.get(reverse("portal:teaching_cases"), query).content.decode()
    return [t for t in ("数据讲故事", "认识图像识别") if t in page]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["数据讲故事", "认识图像识别"]),
        ({"case_level": "junior"}, ["数据讲故事"]),
        ({"case_subject": "science"}, ["认识图像识别"]),
        ({"ai_topic": "data"}, ["数据讲故事"]),
        ({"ai_topic": "compute"}, []),
    ],
)
def test_library_filters(client, cases, query, expected):
    assert _titles(client, **query) == expected


def test_licensed_case_downloads_as_attachment(client, cases):
    detail = client.get(reverse("portal:work_detail", args=[cases["open"].pk])).content.decode()
    url = reverse("portal:case_download", args=[cases["open_pdf"].pk])
    assert url in detail
    assert "CC BY-NC 4.0" in detail
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_view_only_case_has_no_download_and_refuses_it(client, cases):
    detail = client.get(reverse("portal:work_detail", args=[cases["closed"].pk])).content.decode()
    url = reverse("portal:case_download", args=[cases["closed_pdf"].pk])
    assert url not in detail
    # still viewable inline
    assert reverse("portal:work_file", args=[cases["closed_pdf"].pk]) in detail
    response = client.get(url)
    assert response.status_code == 403
    assert "仅供在线浏览" in response.content.decode()


def test_download_of_a_student_work_file_is_not_found(client, edition, units):
    student = people.student(units["hd_school"], username="stu_pub")
    work = make_work(edition, school=units["hd_school"], author=student, title="学生作品")
    image = add_file(work)
    assert client.get(reverse("portal:case_download", args=[image.pk])).status_code == 404


def test_existing_cases_default_to_view_only(edition, units):
    teacher = people.teacher(units["hd_school"], username="case_teacher2")
    work = make_work(edition, category="teaching_case", school=units["hd_school"], level="",
                     author=teacher)  # fmt: skip
    assert work.case_licence == CaseLicence.VIEW_ONLY
    assert work.case_downloadable is False
