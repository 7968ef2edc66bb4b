"""``shuzheng parse FILE… [--json]`` and its documented schema (docs/parse-schema.md)."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shuzheng.documents.parsing.parser import parse
from shuzheng.orgs.resolution import Registry
from shuzheng.orgs.services import load_sample_registry

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data/samples/ningxia-gazette-2023-10.txt"
SCHEMA = ROOT / "docs/parse-schema.md"
NOTICE = "关于做好数据共享工作的通知\n宁政办发〔2024〕5号\n各市、县（区）人民政府：\n现通知如下。\n"


def run(*args):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("parse", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


@pytest.mark.django_db
def test_json_of_one_file_is_the_parse_result(tmp_path):
    out, err = run(str(SAMPLE), "--json")
    data = json.loads(out)
    assert data["sha256"] == parse(SAMPLE.read_bytes(), SAMPLE.name).sha256
    assert [doc["doc_number"] for doc in data["documents"]] == [
        "宁政发〔2023〕17号",
        "宁党办〔2023〕32号",
        None,
    ]
    assert "宁政发〔2023〕17号" in out  # ensure_ascii=False
    assert "sample registry" in err  # nothing loaded in the database
    owners = data["documents"][0]["tasks"][36]["owner_units"]
    assert [unit["name"] for unit in owners] == ["自治区各部门（单位）", "各地级市"]


@pytest.mark.django_db
def test_json_of_several_files_is_an_array(tmp_path):
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    out, _ = run(str(notice), str(notice), "--json")
    data = json.loads(out)
    assert [item["documents"][0]["doc_number"] for item in data] == ["宁政办发〔2024〕5号"] * 2


@pytest.mark.django_db
def test_the_database_registry_is_used_when_loaded():
    load_sample_registry()
    out, err = run(str(SAMPLE), "--json")
    assert "registry in the database" in err
    task = json.loads(out)["documents"][0]["tasks"][0]
    assert [unit["name"] for unit in task["lead_units"]] == [
        "自治区发展改革委",
        "自治区工业和信息化厅",
    ]
    assert all(unit["resolved"] for unit in task["lead_units"])


@pytest.mark.django_db
def test_summary_without_json():
    out, _ = run(str(SAMPLE))
    assert "Gazette: 宁夏回族自治区人民政府公报 2023年第10期 (serial 715)" in out
    assert "宁政发〔2023〕17号 · 意见 · written 2023-05-16 · public" in out
    assert "124 key tasks" in out and "20 key tasks" in out
    assert "transmits [2]" in out
    assert "info title-differs at " in out


@pytest.mark.django_db
def test_unreadable_files_fail_clearly_and_the_others_are_printed(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="2 of 3 file"):
        call_command(
            "parse",
            str(tmp_path / "missing.txt"),
            str(empty),
            str(notice),
            "--json",
            stdout=stdout,
            stderr=stderr,
        )
    assert "missing.txt: cannot be parsed: No such file or directory" in stderr.getvalue()
    assert "empty.txt: cannot be parsed: " in stderr.getvalue()
    [printed] = json.loads(stdout.getvalue())
    assert printed["source_name"] == "notice.txt"


def field_paths(value, prefix=""):
    """Every field path of a to_dict() value: "documents[].tasks[].number" …"""
    paths = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            paths.add(path)
            paths |= field_paths(item, path)
    elif isinstance(value, list):
        for item in value:
            paths |= field_paths(item, f"{prefix}[]")
    return paths


def documented_paths():
    return set(re.findall(r"^\| `([^`]+)` \|", SCHEMA.read_text(encoding="utf-8"), re.MULTILINE))


def sample_dict():
    registry = Registry.from_data(
        json.loads((ROOT / "src/shuzheng/orgs/data/ningxia.json").read_text(encoding="utf-8"))
    )
    return parse(
        SAMPLE.read_bytes(), SAMPLE.name, resolve_responsibility=registry.parse_responsibility
    ).to_dict()


def test_the_schema_documents_every_field():
    produced = field_paths(sample_dict())
    assert "documents[].tasks[].supporting_units[].group" in produced  # every list was filled
    assert produced - documented_paths() == set()


def test_the_schema_documents_no_field_that_does_not_exist():
    assert documented_paths() - field_paths(sample_dict()) == set()
