"""The edition's identity (issue 20): banner and organisers' logos on the home page, the
certificates' seal and issuer lines — uploaded by the committee, checked by content."""

import pytest
from django.urls import reverse

from gongchuang.common.models import AuditEvent
from gongchuang.editions.models import EditionImage
from gongchuang.editions.services import certificate_issuers
from tests.conftest import PASSWORD
from tests.factories import images

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(client, roles):
    client.post("/accounts/login/", {"username": roles["committee"].username, "password": PASSWORD})
    return client


def upload(client, edition, kind, file, **extra):
    url = reverse("editions:identity", args=[edition.slug])
    data = {"kind": kind, f"{kind}-file": file, **{f"{kind}-{k}": v for k, v in extra.items()}}
    return client.post(url, data, follow=True)


def test_the_committee_uploads_a_banner_shown_on_the_home_page(committee, client, edition):
    response = upload(committee, edition, "banner", images.png((1920, 480)))
    assert "横幅已保存" in response.content.decode()
    banner = EditionImage.objects.get(edition=edition, kind="banner")
    assert (banner.width, banner.height, banner.mime) == (1920, 480, "image/png")
    assert AuditEvent.objects.filter(action="edition.image_upload").count() == 1
    client.logout()
    home = client.get("/").content.decode()
    url = reverse("portal:edition_image", args=[banner.pk])
    assert f'src="{url}"' in home
    served = client.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"


def test_a_new_banner_replaces_the_old_one(committee, edition):
    upload(committee, edition, "banner", images.png())
    upload(committee, edition, "banner", images.jpg())
    assert list(EditionImage.objects.filter(kind="banner").values_list("mime", flat=True)) == [
        "image/jpeg"
    ]


def test_logos_are_shown_in_order_with_their_names(committee, client, edition):
    upload(committee, edition, "logo", images.png((256, 256), transparent=True), name="北京市科协")
    upload(committee, edition, "logo", images.jpg((256, 256)), name="北京市教委")
    client.logout()
    home = client.get("/").content.decode()
    assert home.index('alt="北京市科协"') < home.index('alt="北京市教委"')


def test_a_logo_needs_whose_it_is(committee, edition):
    response = upload(committee, edition, "logo", images.png())
    assert "这个字段是必填项" in response.content.decode()
    assert not EditionImage.objects.exists()


def test_the_seal_is_a_transparent_png_and_not_public(committee, client, edition):
    response = upload(committee, edition, "seal", images.png((300, 300), transparent=True))
    assert "印章已保存" in response.content.decode()
    seal = EditionImage.objects.get(kind="seal")
    assert committee.get(reverse("editions:image", args=[seal.pk])).status_code == 200
    client.logout()
    assert client.get(reverse("portal:edition_image", args=[seal.pk])).status_code == 404


@pytest.mark.parametrize(
    ("kind", "make", "message"),
    [
        ("seal", lambda: images.png((300, 300)), "透明背景的 PNG"),
        ("seal", lambda: images.jpg(name="seal.jpg"), "透明背景的 PNG"),
        ("seal", images.not_an_image, "不是"),
        ("banner", images.not_an_image, "不是"),
        ("logo", lambda: images.noisy_png(1.2), "文件太大了"),
        ("banner", lambda: images.noisy_png(5.2), "文件太大了"),
    ],
    ids=["seal-opaque", "seal-jpg", "seal-text", "banner-text", "logo-too-big", "banner-too-big"],
)
def test_bad_images_are_refused_in_chinese(committee, edition, kind, make, message):
    response = upload(committee, edition, kind, make(), name="某单位")
    body = response.content.decode()
    assert message in body, body[body.find('class="error"') - 200 :][:800]
    assert not EditionImage.objects.exists()
    assert not AuditEvent.objects.filter(action="edition.image_upload").exists()


def test_removing_a_logo_is_audited(committee, edition):
    upload(committee, edition, "logo", images.png(), name="北京市科协")
    logo = EditionImage.objects.get()
    committee.post(reverse("editions:image_remove", args=[logo.pk]))
    assert not EditionImage.objects.exists()
    assert AuditEvent.objects.filter(action="edition.image_remove").count() == 1


def test_issuer_lines_default_to_the_hosts_and_can_be_set(committee, edition):
    assert certificate_issuers(edition) == edition.organisers["hosts"]
    url = reverse("editions:identity", args=[edition.slug])
    committee.post(url, {"kind": "issuers", "issuers": "北京青少年人工智能应用实践活动组委会\n"})
    edition.refresh_from_db()
    assert certificate_issuers(edition) == ["北京青少年人工智能应用实践活动组委会"]
    response = committee.post(url, {"kind": "issuers", "issuers": "一\n二\n三\n四\n五"})
    assert "最多" in response.content.decode()


def test_other_roles_cannot_open_the_identity_page(client, roles, edition):
    client.post("/accounts/login/", {"username": roles["expert"].username, "password": PASSWORD})
    assert client.get(reverse("editions:identity", args=[edition.slug])).status_code == 403
