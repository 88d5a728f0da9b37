"""The guide names file types in words (图片、视频、音频 with their extensions), never by the
codes the system stores (image、video、audio)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_guide_shows_file_types_in_chinese_not_codes(client, edition):
    body = client.get(reverse("portal:guide")).content.decode()
    assert (
        "<td>图片（PNG、JPG、WebP、GIF）、视频（MP4、MOV、WebM）、音频（MP3、WAV、M4A、OGG、FLAC）</td>"
        in body
    )
    assert "image、video" not in body
    assert "、pdf" not in body and "pdf、" not in body


def test_the_teaching_case_library_counts_cases_not_works(client, edition):
    body = client.get(reverse("portal:teaching_cases")).content.decode()
    assert "共 0 个教学案例" in body
    assert "没有符合筛选条件的教学案例。" in body
    assert "件作品" not in body


def test_the_summary_step_is_called_zongjie_not_the_admins_gailan(client, edition):
    body = client.get(reverse("portal:guide")).content.decode()
    assert "<td>总结</td>" in body
    assert "概览" not in body


def test_registration_asks_to_choose_a_district_not_dashes(client, units):
    body = client.get(reverse("accounts:register_student")).content.decode()
    assert "— 请选择所在区或高校 —" in body
    assert "— 请选择学校 —" in body
    assert "---------" not in body
