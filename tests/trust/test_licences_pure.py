"""The licence rules (trust.licences), the sealed-PDF container (trust.sealed_pdf), the bulk
workbook reader (trust.licence_workbook) and the kernel privacy helpers they use."""

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import Workbook

from shuzheng.hotline import privacy as hotline_privacy
from shuzheng.privacy import keyed_digest, mask_middle
from shuzheng.trust import licence_workbook, licences, sealed_pdf
from shuzheng.trust.licences import FaceField, LicenceRuleError, ValidityRule

FIELDS = (
    FaceField("business_name", "经营者名称"),
    FaceField("premises", "经营场所"),
    FaceField("opened_on", "开业日期", licences.DATE, required=False),
    FaceField("staff", "从业人数", licences.INTEGER, required=False),
    FaceField("capital", "注册资本（万元）", licences.DECIMAL, required=False),
)
CREDIT_CODE = "91350100M000100Y43"
IDENTITY = "11010519491231002X"  # GB 11643-1999's own example


def test_face_fields_parse_and_refuse_bad_definitions():
    parsed = licences.parse_face_fields([f.as_data() for f in FIELDS])
    assert parsed == FIELDS
    for data, code in [
        ([], "fields_missing"),
        ([{"name": "Bad Name", "label": "x"}], "field_name_invalid"),
        ([{"name": "a", "label": ""}], "field_label_missing"),
        ([{"name": "a", "label": "甲", "kind": "colour"}], "field_kind_unknown"),
        ([{"name": "a", "label": "甲"}, {"name": "a", "label": "乙"}], "field_name_repeated"),
        (["a"], "field_malformed"),
    ]:
        with pytest.raises(LicenceRuleError) as caught:
            licences.parse_face_fields(data)
        assert caught.value.code == code


def test_face_values_are_cleaned_to_one_text_form_and_refused_field_by_field():
    cleaned, errors = licences.clean_face_values(
        FIELDS,
        {
            "business_name": " 宁夏清真餐饮有限公司 ",
            "premises": "银川市兴庆区解放西街1号",
            "opened_on": "2024年3月5日",
            "staff": "012",
            "capital": "1.50",
        },
    )
    assert errors == []
    assert cleaned == {
        "business_name": "宁夏清真餐饮有限公司",
        "premises": "银川市兴庆区解放西街1号",
        "opened_on": "2024-03-05",
        "staff": "12",
        "capital": "1.5",
    }
    _cleaned, errors = licences.clean_face_values(
        FIELDS,
        {"premises": "", "opened_on": "2024-02-30", "staff": "1e3", "capital": "NaN", "x": "1"},
    )
    assert {(e.field, e.code) for e in errors} == {
        ("x", "field_unknown"),
        ("business_name", "required"),
        ("premises", "required"),
        ("opened_on", "not_date"),
        ("staff", "not_integer"),
        ("capital", "not_decimal"),
    }


def test_validity_counts_whole_years_from_the_issue_date():
    five = ValidityRule(licences.YEARS, 5)
    assert five.valid_until(dt.date(2026, 12, 2)) == dt.date(2031, 12, 1)
    assert five.valid_until(dt.date(2024, 2, 29)) == dt.date(2029, 2, 28)
    assert ValidityRule().valid_until(dt.date(2026, 1, 1)) is None
    with pytest.raises(LicenceRuleError):
        ValidityRule(licences.YEARS, 0)
    with pytest.raises(LicenceRuleError):
        ValidityRule("forever")


def test_a_valid_licence_past_its_last_day_shows_expired_and_others_keep_their_status():
    last = dt.date(2031, 12, 1)
    assert licences.effective_status("valid", last, last) == "valid"
    assert licences.effective_status("valid", last, last + dt.timedelta(days=1)) == "expired"
    assert licences.effective_status("valid", None, dt.date(2099, 1, 1)) == "valid"
    assert licences.effective_status("revoked", last, dt.date(2040, 1, 1)) == "revoked"
    licences.check_transition("valid", "suspended")
    licences.check_transition("suspended", "valid")
    with pytest.raises(LicenceRuleError):
        licences.check_transition("revoked", "valid")


def test_holder_codes_are_checked_by_their_standards():
    assert licences.normalise_holder_code("credit_code", " 91350100m000100y43 ") == CREDIT_CODE
    assert licences.normalise_holder_code("identity_card", IDENTITY.lower()) == IDENTITY
    for kind, code, error in [
        ("credit_code", "91350100M000100Y44", "credit_code_check_failed"),
        ("credit_code", "91350100M00010", "credit_code_malformed"),
        ("credit_code", "91350100I000100Y43", "credit_code_malformed"),
        ("identity_card", "110105194912310021", "identity_card_check_failed"),
        ("identity_card", "11010519491231002", "identity_card_malformed"),
        ("passport", "E12345678", "holder_kind_unknown"),
    ]:
        with pytest.raises(LicenceRuleError) as caught:
            licences.normalise_holder_code(kind, code)
        assert caught.value.code == error
    assert licences.mask_holder_code(IDENTITY) == "110105********002X"


def test_licence_numbers_carry_a_check_character_that_finds_a_mistyped_one():
    number = licences.licence_number("SPJY", "11640000MB1234567X", 2026, 1)
    assert number.startswith("SPJY-11640000MB1234567X-2026-000001-")
    assert licences.number_is_well_formed(number)
    body, check = number.rsplit("-", 1)
    for position in range(len(body)):
        if body[position] == "-":
            continue
        replacement = "7" if body[position] != "7" else "8"
        mistyped = body[:position] + replacement + body[position + 1 :] + "-" + check
        assert not licences.number_is_well_formed(mistyped), mistyped
    assert not licences.number_is_well_formed("not-a-number")
    with pytest.raises(LicenceRuleError):
        licences.licence_number("spjy", "x", 2026, 1)


def test_the_canonical_form_is_sorted_compact_utf8_json():
    record = licences.canonical_record(
        number="N-1",
        licence_type={"code": "SPJY", "name": "食品经营许可证"},
        holder={"kind": "credit_code", "name": "甲公司", "key": "ab"},
        face={"premises": "银川", "business_name": "甲"},
        issuer={"code": "U1", "name": "市场监督管理厅"},
        issued_on=dt.date(2026, 12, 2),
        valid_until=None,
    )
    data = licences.canonical_bytes(record)
    assert data.startswith(b'{"face":{"business_name":')
    assert b" " not in data and "食品经营许可证".encode() in data
    assert b'"validity":{"issued_on":"2026-12-02","valid_until":null}' in data
    assert licences.canonical_bytes(dict(reversed(list(record.items())))) == data


def test_privacy_helpers_are_shared_by_the_hotline_and_the_licences():
    assert mask_middle("13912345678", keep_start=3, keep_end=4) == "139****5678"
    assert mask_middle("abc", keep_start=2, keep_end=2) == "***"
    key = keyed_digest("secret", "trust.licence.holder", IDENTITY)
    assert len(key) == 64 and key != keyed_digest("secret", "other.purpose", IDENTITY)
    assert keyed_digest("secret", "p", "") == ""
    assert hotline_privacy.phone_key("s", "139-1234-5678") == keyed_digest(
        "s", "hotline.caller.phone", "13912345678"
    )


# -- sealed PDFs -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered_pdf():
    from shuzheng.pdf import PdfDocument

    return (
        PdfDocument(title="督办单").title_block("督办单").paragraph("推进黄河流域生态保护").render()
    )


def test_a_sealed_pdf_opens_as_before_and_gives_back_the_signed_bytes(rendered_pdf):
    from tests.pdfs import assert_fonts_embedded, pdf_text

    sealed = sealed_pdf.attach_signature(rendered_pdf, {"signature": "签名", "n": 1})
    assert sealed.startswith(rendered_pdf)
    assert "推进黄河流域生态保护" in pdf_text(sealed)
    assert_fonts_embedded(sealed)
    signed, envelope = sealed_pdf.detach_signature(sealed)
    assert signed == rendered_pdf and envelope == {"signature": "签名", "n": 1}


def test_pdfium_reads_the_incremental_update(rendered_pdf):
    import pypdfium2

    sealed = sealed_pdf.attach_signature(rendered_pdf, {"n": 1})
    document = pypdfium2.PdfDocument(sealed)
    assert len(document) == 1
    assert "推进黄河流域生态保护" in document[0].get_textpage().get_text_range()


def test_what_is_no_sealed_pdf_is_named(rendered_pdf):
    sealed = sealed_pdf.attach_signature(rendered_pdf, {"n": 1})
    for data, code in [
        (b"hello", "not_pdf"),
        (rendered_pdf, "not_sealed"),
        (sealed[: len(sealed) - 60], "appended_after_sealing"),
        (sealed + b"1 0 obj\n<<>>\nendobj\n", "appended_after_sealing"),
        (sealed.replace(b"/Envelope <", b"/Envelope <zz"), "envelope_malformed"),
    ]:
        with pytest.raises(sealed_pdf.SealedPdfError) as caught:
            sealed_pdf.detach_signature(data)
        assert caught.value.code == code
    with pytest.raises(sealed_pdf.SealedPdfError):
        sealed_pdf.attach_signature(b"%PDF-1.4\nno trailer", {})


# -- bulk workbooks --------------------------------------------------------------------------


def workbook(rows, headers=None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["食品经营许可证 批量签发"])
    sheet.append(
        headers or ["持证主体名称", "证件类型", "证件号码", "签发日期", "经营者名称", "经营场所"]
    )
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_template_reads_back_with_its_rows():
    template = licence_workbook.template_workbook("食品经营许可证", FIELDS)
    rows, errors = licence_workbook.read_licence_rows(template, FIELDS)
    assert rows == [] and [e.code for e in errors] == ["no_rows"]
    content = workbook(
        [
            ["甲公司", "统一社会信用代码", CREDIT_CODE, dt.datetime(2026, 12, 1), "甲", "银川"],
            [None, None, None, None, None, None],
            ["张三", "身份证号", IDENTITY, None, "张三小吃", "吴忠"],
        ]
    )
    rows, errors = licence_workbook.read_licence_rows(content, FIELDS)
    assert errors == []
    assert [(r.row, r.holder_kind, r.holder_code, r.issued_on) for r in rows] == [
        (3, "credit_code", CREDIT_CODE, dt.date(2026, 12, 1)),
        (5, "identity_card", IDENTITY, None),
    ]
    assert rows[1].face == {"business_name": "张三小吃", "premises": "吴忠"}


def test_every_bad_cell_is_named_by_row_and_column():
    content = workbook(
        [
            ["甲公司", "护照", "E1", "2026-13-01", "甲", "银川"],
            ["", "身份证号", "110105194912310021", None, "", "银川"],
        ]
    )
    rows, errors = licence_workbook.read_licence_rows(content, FIELDS)
    assert rows == []
    assert {(e.row, e.column, e.header, e.code) for e in errors} == {
        (3, "B", "证件类型", "holder_kind_unknown"),
        (3, "D", "签发日期", "not_date"),
        (4, "A", "持证主体名称", "required"),
        (4, "C", "证件号码", "identity_card_check_failed"),
        (4, "E", "经营者名称", "required"),
    }


def test_a_missing_column_or_a_file_that_is_no_workbook_is_refused():
    content = workbook(
        [["甲", "身份证号", IDENTITY, None, "甲"]],
        headers=["持证主体名称", "证件类型", "证件号码", "签发日期", "经营者名称"],
    )
    _rows, errors = licence_workbook.read_licence_rows(content, FIELDS)
    assert [(e.code, e.params) for e in errors] == [("column_missing", {"header": "经营场所"})]
    _rows, errors = licence_workbook.read_licence_rows(b"name,code\n", FIELDS)
    assert [e.code for e in errors] == ["not_workbook"]
    _rows, errors = licence_workbook.read_licence_rows(workbook([], headers=["x"]), FIELDS)
    assert [e.code for e in errors] == ["header_missing"]
