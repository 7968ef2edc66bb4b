import codecs
import random

import pytest
from django.utils import translation
from django.utils.translation import gettext

from shuzheng.documents.parsing.decoding import DecodingError, decode, normalize_line_endings

NOTICE = (
    "自治区人民政府关于加强数字政府建设的实施意见\n宁政发〔2023〕17号\n各市、县（区）人民政府：\n"
)


def test_plain_utf8():
    decoded = decode(NOTICE.encode("utf-8"))
    assert (decoded.text, decoded.encoding, decoded.had_bom) == (NOTICE, "utf-8", False)


def test_ascii_is_reported_as_utf8():
    assert decode(b"Gazette 2023 No. 10\n").encoding == "utf-8"


def test_utf8_bom_is_removed_and_reported():
    decoded = decode(codecs.BOM_UTF8 + NOTICE.encode("utf-8"))
    assert (decoded.text, decoded.encoding, decoded.had_bom) == (NOTICE, "utf-8", True)


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_utf16_and_utf32_with_bom(bom, codec):
    decoded = decode(bom + NOTICE.encode(codec))
    assert (decoded.text, decoded.encoding, decoded.had_bom) == (NOTICE, codec, True)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_by_its_nul_bytes(codec):
    decoded = decode(NOTICE.encode(codec))
    assert (decoded.text, decoded.encoding, decoded.had_bom) == (NOTICE, codec, False)


def test_utf16_without_bom_tolerates_characters_with_a_zero_low_byte():
    # 一 is U+4E00: its NUL byte falls on the side where ASCII characters have none.
    text = "一、总体要求\n到2023年12月31日前，一体化平台上线。\n"
    assert decode(text.encode("utf-16-le")).text == text


def test_gb18030():
    decoded = decode(NOTICE.encode("gb18030"))
    assert (decoded.text, decoded.encoding) == (NOTICE, "gb18030")


def test_short_text_that_also_fits_big5_is_read_as_gb18030():
    assert decode("2023年".encode("gb18030")).text == "2023年"


def test_gbk_characters_outside_gb2312_decode():
    text = "联系人：王堃，朱镕基\n"
    assert decode(text.encode("gbk")).text == text


def test_big5_is_recognised_when_it_is_clearly_big5():
    text = "臺灣行政院關於加強數位政府建設的實施意見，各縣市政府：為貫徹落實數位發展政策，現將有關事項通知如下。"
    decoded = decode(text.encode("big5"))
    assert (decoded.text, decoded.encoding) == (text, "big5")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_endings_are_normalised(newline):
    decoded = decode(NOTICE.replace("\n", newline).encode("gb18030"))
    assert decoded.text == NOTICE


def test_normalize_line_endings_keeps_lf():
    assert normalize_line_endings("a\r\nb\rc\nd") == "a\nb\nc\nd"


@pytest.mark.parametrize("data", [b"", codecs.BOM_UTF8, b" \n\t\r\n"])
def test_empty_input_is_refused(data):
    with pytest.raises(DecodingError, match="the file") as error:
        decode(data)
    assert error.value.code == "empty"


def test_binary_garbage_is_refused():
    garbage = random.Random(3).randbytes(2000)
    with pytest.raises(DecodingError) as error:
        decode(garbage)
    assert error.value.code in {"undecodable", "binary"}
    with translation.override("zh-hans"):
        chinese = error.value.describe(gettext)
    assert "无法" in chinese or "二进制" in chinese


def test_binary_with_nul_bytes_is_refused_even_when_valid_utf8():
    with pytest.raises(DecodingError) as error:
        decode(b"\x00\x01\x02\x03binary\x00\x00\x07data\x00")
    assert error.value.code == "binary"


def test_undecodable_bytes_are_never_replaced():
    with pytest.raises(DecodingError) as error:
        decode("宁政发".encode("gb18030") + b"\x80\xff\x80\xff")
    assert error.value.code == "undecodable"


def test_bom_followed_by_invalid_content_is_refused():
    with pytest.raises(DecodingError, match="byte-order mark") as error:
        decode(codecs.BOM_UTF8 + b"\xff\xfe\xfa")
    assert error.value.code == "undecodable"


def test_control_characters_in_text_are_refused():
    text = "正文" + "\x07" * 10 + "正文" * 5
    with pytest.raises(DecodingError) as error:
        decode(text.encode("utf-8"))
    assert error.value.code == "binary"


def test_form_feed_and_tabs_are_text():
    text = "主要任务\t重点内容\n\f第二页\n"
    assert decode(text.encode("utf-8")).text == text


def test_the_sample_gazette_decodes_unchanged():
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "data/samples/ningxia-gazette-2023-10.txt"
    data = path.read_bytes()
    assert decode(data).text == data.decode("utf-8").replace("\r\n", "\n")
    assert decode(data.decode("utf-8").encode("gb18030")).text == decode(data).text
