import datetime

import pytest
from django.core.exceptions import ValidationError

from gongchuang.accounts.identity import (
    birth_date_from_national_id,
    national_id_check_digit,
    national_id_hash,
    validate_national_id,
)

VALID = "11010520120315001X"  # check digit computed below


def make_id(first17: str) -> str:
    return first17 + national_id_check_digit(first17)


def test_check_digit_of_the_standard_example():
    # GB 11643-1999 worked example: 11010519491231002X
    assert national_id_check_digit("11010519491231002") == "X"


def test_valid_number_is_normalised_to_upper_case():
    number = make_id("11010820120315123")
    assert validate_national_id(number.lower() + " ") == number.upper()


@pytest.mark.parametrize(
    "bad", ["123", "11010519491231002Y", "110105194912310021", "1101051949123100AX"]
)
def test_invalid_numbers_are_refused(bad):
    with pytest.raises(ValidationError):
        validate_national_id(bad)


def test_impossible_birth_date_is_refused():
    with pytest.raises(ValidationError) as info:
        validate_national_id(make_id("11010520120230123"))
    assert info.value.code == "id_birth_date"


def test_birth_date_is_read_from_the_number():
    assert birth_date_from_national_id(make_id("11010520120315123")) == datetime.date(2012, 3, 15)


def test_hash_is_keyed_and_stable(settings):
    number = make_id("11010520120315123")
    first = national_id_hash(number)
    assert first == national_id_hash(number.lower())
    assert number not in first and len(first) == 64
    settings.IDENTITY_HASH_KEY = "another-key"
    assert national_id_hash(number) != first


# --- Documents of every type and the normalised name (issue 22) ---------------

from gongchuang.accounts.enums import DocumentType  # noqa: E402
from gongchuang.accounts.identity import (  # noqa: E402
    document_key,
    normalise_name,
    person_key,
    validate_document,
)


def test_names_lose_invisible_characters_and_spaces():
    plain = normalise_name("王小明")
    assert plain == "王小明"
    assert normalise_name(" 王小\u200b明\ufeff") == plain
    assert normalise_name("王\u2060小\u00a0明\u3000") == plain
    assert normalise_name("ＬＩ Ｌｅｉ") == normalise_name("li\tlei") == "lilei"


def test_person_key_ignores_invisible_differences_but_not_the_birth_date():
    day = datetime.date(2011, 5, 1)
    key = person_key(real_name="王小明", birth_date=day)
    assert person_key(real_name="王小\u200b明 ", birth_date=day) == key
    assert person_key(real_name="王小明", birth_date=day.replace(day=2)) != key
    assert person_key(real_name="王晓明", birth_date=day) != key


@pytest.mark.parametrize(
    "kind,given,normalised",
    [
        (
            DocumentType.RESIDENT_ID,
            make_id("11010520120315001").lower(),
            make_id("11010520120315001"),
        ),
        (DocumentType.HMT_RESIDENCE, make_id("81000020050101001"), make_id("81000020050101001")),
        (DocumentType.HK_MACAO_PERMIT, "h 1234-5678", "H12345678"),
        (DocumentType.HK_MACAO_PERMIT, "M1234567890", "M1234567890"),
        (DocumentType.TAIWAN_PERMIT, "１２３４５６７８", "12345678"),
        (DocumentType.TAIWAN_PERMIT, "1234567890", "1234567890"),
        (DocumentType.FOREIGNER_PR, "usa110012345678", "USA110012345678"),
        (DocumentType.FOREIGNER_PR, make_id("93118402012031500"), make_id("93118402012031500")),
        (DocumentType.PASSPORT, "e12\u200b345678", "E12345678"),
    ],
)
def test_valid_documents_are_normalised(kind, given, normalised):
    assert validate_document(kind, given) == normalised


@pytest.mark.parametrize(
    "kind,given,code",
    [
        (DocumentType.RESIDENT_ID, "11010520120315001", "id_format"),
        (DocumentType.HMT_RESIDENCE, make_id("11010520120315001"), "document_format"),
        (DocumentType.HK_MACAO_PERMIT, "A12345678", "document_format"),
        (DocumentType.HK_MACAO_PERMIT, "H123456789", "document_format"),
        (DocumentType.TAIWAN_PERMIT, "123456789", "document_format"),
        (DocumentType.FOREIGNER_PR, "US1100123456789", "document_format"),
        (DocumentType.FOREIGNER_PR, "931184020120315009", "document_checksum"),
        (DocumentType.PASSPORT, "E123", "document_format"),
        (DocumentType.PASSPORT, "E1234567890123456789X", "document_format"),
        ("driving_licence", "E12345678", "document_type"),
    ],
)
def test_invalid_documents_are_refused(kind, given, code):
    if code == "document_checksum":
        assert make_id("93118402012031500") != given  # a wrong check digit indeed
    with pytest.raises(ValidationError) as refused:
        validate_document(kind, given)
    assert refused.value.code == code


def test_document_key_depends_on_the_type_and_keeps_the_id_card_key():
    number = make_id("11010520120315001")
    assert document_key(DocumentType.RESIDENT_ID, number) == national_id_hash(number)
    assert document_key(DocumentType.PASSPORT, "E12345678") == document_key(
        DocumentType.PASSPORT, "e 1234 5678"
    )
    assert document_key(DocumentType.PASSPORT, "12345678") != document_key(
        DocumentType.TAIWAN_PERMIT, "12345678"
    )
