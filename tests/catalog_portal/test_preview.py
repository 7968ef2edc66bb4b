"""The tabular preview's pure module (catalog.preview): first rows and inferred column types
of CSV (UTF-8, GB18030), Excel and JSON, with the work bounded by the preview, not the file."""

import datetime as dt
import io
import json

import pytest
from openpyxl import Workbook

from shuzheng.catalog import preview
from shuzheng.catalog.preview import Preview, PreviewError


class CountingReader(io.BytesIO):
    """A binary handle that remembers how many bytes were read from it."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def types(result: Preview) -> dict[str, str]:
    return {column.name: column.data_type for column in result.columns}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1", "-20", "+3"], "integer"),
        (["1", "2.5", "1e3"], "decimal"),
        (["0951", "1"], "string"),  # a code with a leading zero is not a number
        (["2024-01-05", "2024/1/6", "2024年2月29日"], "date"),
        (["2023-02-29"], "string"),  # no such day
        (["2024-01-05 08:30", "2024-01-05T08:30:15+08:00"], "datetime"),
        (["是", "否", "TRUE"], "boolean"),
        (["银川市", "12"], "string"),
        (["x" * 300, "短"], "text"),
        (["", "  "], "string"),
        (["", "7", ""], "integer"),  # empty values do not decide the type
        (["NaN", "Infinity"], "string"),
    ],
)
def test_a_column_s_type_is_the_narrowest_that_every_value_fits(values, expected):
    assert preview.infer_type(values) == expected


def test_a_utf8_csv_shows_its_first_rows_and_the_types_of_its_columns():
    lines = ["序号,名称,人口（万人）,统计日期"] + [
        f"{n},示例县{n},{n * 1.5},2024-01-{n % 28 + 1:02d}" for n in range(1, 31)
    ]
    result = preview.preview_csv(io.BytesIO("\n".join(lines).encode("utf-8-sig")))
    assert types(result) == {
        "序号": "integer",
        "名称": "string",
        "人口（万人）": "decimal",
        "统计日期": "date",
    }
    assert len(result.rows) == preview.PREVIEW_ROWS
    assert result.rows[0] == ("1", "示例县1", "1.5", "2024-01-02")
    assert result.more_rows


def test_a_gb18030_csv_is_decoded():
    data = "单位,地址\r\n自治区财政厅,银川市金凤区\r\n自治区教育厅,银川市兴庆区\r\n".encode(
        "gb18030"
    )
    result = preview.preview_csv(io.BytesIO(data))
    assert [c.name for c in result.columns] == ["单位", "地址"]
    assert result.rows == (("自治区财政厅", "银川市金凤区"), ("自治区教育厅", "银川市兴庆区"))
    assert not result.more_rows


def test_a_large_csv_is_read_only_as_far_as_the_bound():
    row = "12345,示例数据行,2024-05-01\n".encode()
    data = "编号,说明,日期\n".encode() + row * (5 * 1024 * 1024 // len(row))
    handle = CountingReader(data)
    result = preview.preview_csv(handle, max_bytes=64 * 1024)
    assert handle.bytes_read <= 64 * 1024 + 1
    assert len(result.rows) == preview.PREVIEW_ROWS and result.more_rows
    assert types(result) == {"编号": "integer", "说明": "string", "日期": "date"}


def test_a_csv_cut_at_the_bound_drops_its_last_partial_row():
    data = b'a,b\n1,"x\n' + b"y" * 100 + b'"\n'
    result = preview.preview_csv(io.BytesIO(data), max_bytes=20)
    assert result.rows == () and result.more_rows
    assert [c.name for c in result.columns] == ["a", "b"]


def test_blank_rows_ragged_rows_and_blank_headers():
    data = "名称,,\n\n甲,1\n,,\n乙,2,3,4\n".encode()
    result = preview.preview_csv(io.BytesIO(data))
    assert [c.name for c in result.columns] == ["名称", "", "", ""]
    assert result.rows == (("甲", "1", "", ""), ("乙", "2", "3", "4"))


def test_long_cells_are_cut_and_wide_tables_say_how_many_columns_are_hidden():
    header = ",".join(f"c{n}" for n in range(preview.MAX_COLUMNS + 5))
    body = ",".join(["长" * 500] + ["1"] * (preview.MAX_COLUMNS + 4))
    result = preview.preview_csv(io.BytesIO(f"{header}\n{body}\n".encode()))
    assert len(result.columns) == preview.MAX_COLUMNS and result.hidden_columns == 5
    assert len(result.rows[0][0]) == preview.MAX_CELL and result.rows[0][0].endswith("…")
    assert result.columns[0].data_type == "text"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "empty"),
        (b"\x00\x01\x02\x03binary\x00\x00" * 20, "not_text"),
    ],
)
def test_csv_that_cannot_be_previewed_says_why(data, code):
    with pytest.raises(PreviewError) as raised:
        preview.preview_csv(io.BytesIO(data))
    assert raised.value.code == code and raised.value.message == preview.MESSAGES[code]


def test_one_line_longer_than_the_bound_is_refused():
    with pytest.raises(PreviewError) as raised:
        preview.preview_csv(io.BytesIO(b"a" * 100), max_bytes=10)
    assert raised.value.code == "too_long"


def excel(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    handle = io.BytesIO()
    book.save(handle)
    handle.seek(0)
    return handle


def test_an_excel_sheet_shows_its_cells_as_text_with_types():
    handle = excel(
        [
            ["代码", "金额", "日期", "时间", "是否有效"],
            ["0101", 12.5, dt.date(2024, 3, 1), dt.datetime(2024, 3, 1, 9, 30), True],
            [None, None, None, None, None],
            ["0102", 7, dt.datetime(2024, 3, 2), dt.datetime(2024, 3, 2, 10, 0), False],
        ]
    )
    result = preview.preview_excel(handle)
    assert types(result) == {
        "代码": "string",
        "金额": "decimal",
        "日期": "date",
        "时间": "datetime",
        "是否有效": "boolean",
    }
    assert result.rows == (
        ("0101", "12.5", "2024-03-01", "2024-03-01 09:30:00", "true"),
        ("0102", "7", "2024-03-02", "2024-03-02 10:00:00", "false"),
    )
    assert not result.more_rows


def test_a_long_excel_sheet_stops_after_the_sample_rows():
    handle = excel([["n"], *([n] for n in range(preview.SAMPLE_ROWS + 50))])
    result = preview.preview_excel(handle)
    assert len(result.rows) == preview.PREVIEW_ROWS and result.more_rows
    assert types(result) == {"n": "integer"}


def test_a_file_that_is_no_workbook_is_refused():
    with pytest.raises(PreviewError) as raised:
        preview.preview_excel(io.BytesIO(b"PK\x03\x04 not really a zip"))
    assert raised.value.code == "not_workbook"


def test_json_records_in_a_list_or_under_data():
    records = [{"名称": f"示例{n}", "数量": n, "标签": ["a"]} for n in range(3)]
    for document in (records, {"total": 3, "meta": {"x": [1, 2]}, "data": records}):
        result = preview.preview_json(io.BytesIO(json.dumps(document).encode()))
        assert types(result) == {"名称": "string", "数量": "integer", "标签": "string"}
        assert result.rows[0] == ("示例0", "0", '["a"]')
        assert not result.more_rows


def test_json_keys_that_appear_later_become_columns():
    data = json.dumps([{"a": 1}, {"a": 2, "b": "乙"}]).encode()
    result = preview.preview_json(io.BytesIO(data))
    assert result.rows == (("1", ""), ("2", "乙"))


def test_a_large_json_file_is_parsed_record_by_record_within_the_bound():
    record = json.dumps({"编号": 1, "说明": "示例记录" * 10}, ensure_ascii=False)
    data = ("[" + ",".join([record] * 200_000) + "]").encode()
    handle = CountingReader(data)
    result = preview.preview_json(handle, max_bytes=256 * 1024)
    assert handle.bytes_read <= 256 * 1024
    assert len(result.rows) == preview.PREVIEW_ROWS and result.more_rows


def test_a_json_record_cut_by_the_bound_ends_the_sample():
    record = json.dumps({"说明": "很长" * 1000}, ensure_ascii=False)
    data = ("[" + ",".join([record] * 50) + "]").encode()
    result = preview.preview_json(io.BytesIO(data), max_bytes=len(record.encode()) * 3)
    assert 1 <= len(result.rows) <= 3 and result.more_rows


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"[]", "empty"),
        (b'{"total": 0}', "not_records"),
        (b"[1, 2]", "not_records"),
        (b'[{"a": 1} {"a": 2}]', "not_json"),
        (b'[{"a": 1}, {"a": ', "not_json"),
        (b"\xff\xfe not utf-8", "not_json"),
        (b"hello", "not_json"),
    ],
)
def test_json_that_cannot_be_previewed_says_why(data, code):
    with pytest.raises(PreviewError) as raised:
        preview.preview_json(io.BytesIO(data))
    assert raised.value.code == code


def test_a_preview_survives_its_cached_form():
    result = preview.preview_csv(io.BytesIO("甲,乙\n1,2\n".encode()))
    assert Preview.from_dict(json.loads(json.dumps(result.as_dict()))) == result


def test_an_unknown_format_is_refused():
    with pytest.raises(PreviewError):
        preview.preview(io.BytesIO(b"x"), "pdf")
