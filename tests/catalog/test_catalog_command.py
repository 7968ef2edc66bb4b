"""``shuzheng catalog import|export|template``: the done-when case on the command line, the
template imported, and export → import into an empty catalog giving the same catalog."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shuzheng.catalog.models import DataResource, ResourceCategory
from shuzheng.catalog.services import snapshot
from tests.catalog.test_imports import two_hundred_with_three_bad

pytestmark = pytest.mark.django_db


def catalog(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("catalog", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("LANGUAGE", "en")


def test_the_command_reports_the_three_bad_rows_and_lands_197(registry, tmp_path):
    path = tmp_path / "目录表.xlsx"
    path.write_bytes(two_hundred_with_three_bad())
    with pytest.raises(CommandError) as raised:
        catalog("import", str(path), "--no-progress")
    assert raised.value.returncode == 1
    assert str(raised.value) == "3 rows have problems."
    assert DataResource.objects.count() == 197


def test_the_command_reports_by_row_and_column(registry, tmp_path, capsys):
    path = tmp_path / "目录表.xlsx"
    path.write_bytes(two_hundred_with_three_bad())
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("catalog", "import", str(path), "--no-progress", stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Row 36, column U (数据类型)",
        "Row 178, column X (分级)",
        "Row 302, column T (信息项名称)",
    ]
    assert out.getvalue().strip() == (
        "400 rows read: 197 resources registered, 0 updated, 3 rows with problems."
    )


def test_all_or_nothing_on_the_command_line_lands_nothing(registry, tmp_path):
    path = tmp_path / "目录表.xlsx"
    path.write_bytes(two_hundred_with_three_bad())
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "catalog",
            "import",
            str(path),
            "--all-or-nothing",
            "--no-progress",
            stdout=out,
            stderr=err,
        )
    assert "Nothing imported (all or nothing): 400 rows read, 3 with problems." in out.getvalue()
    assert len(err.getvalue().splitlines()) == 3
    assert not DataResource.objects.exists()


def test_the_template_imports_as_its_example(registry, tmp_path):
    path = tmp_path / "模板.xlsx"
    out, _err = catalog("template", str(path))
    assert "template" in out
    catalog("import", str(path), "--no-progress")
    resource = DataResource.objects.get()
    assert resource.title == "宁夏A级旅游景区名录"
    assert [f.name for f in resource.fields.all()] == ["景区名称", "等级"]


def comparable(resource) -> dict:
    data = snapshot(resource)
    for generated in ("name", "state", "version", "is_sample", "domain", "license_id"):
        data.pop(generated)
    for item in data["fields"]:
        item.pop("column")
        item.pop("share_type")
    data["published_on"] = resource.published_on
    return data


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_into_an_empty_catalog_gives_the_same_catalog(
    sample_catalog, tmp_path, suffix
):
    path = tmp_path / f"目录{suffix}"
    catalog("export", str(path))
    before = {r.code: comparable(r) for r in DataResource.objects.all()}
    categories = sorted(ResourceCategory.objects.values_list("code", "name", "parent__code"))
    DataResource.objects.all().delete()
    for category in sorted(ResourceCategory.objects.all(), key=lambda c: -len(c.code)):
        category.delete()  # children first: a parent is protected
    catalog("import", str(path), "--no-progress")
    after = {r.code: comparable(r) for r in DataResource.objects.all()}
    assert after == before
    imported = sorted(ResourceCategory.objects.values_list("code", "name", "parent__code"))
    assert set(imported) <= set(categories)


def test_the_public_export_holds_no_core_or_important_data(sample_catalog, tmp_path):
    path = tmp_path / "开放.csv"
    catalog("export", str(path), "--public")
    text = path.read_text(encoding="utf-8-sig")
    hidden = DataResource.objects.exclude(grade="general")
    assert hidden.filter(grade="core").exists()
    for resource in hidden:
        assert resource.code not in text
    public = DataResource.objects.open_to_public()
    assert public.exists()
    for resource in public:
        assert resource.code in text
    for resource in DataResource.objects.exclude(pk__in=public):
        assert resource.code not in text


def test_the_packages_command_writes_every_stored_package_again(sample_catalog, capsys):
    from shuzheng.catalog.models import DataResource, StoredPackage

    StoredPackage.objects.all().delete()
    call_command("catalog", "packages", "--no-progress")
    count = DataResource.objects.count()
    assert StoredPackage.objects.count() == count
    assert str(count) in capsys.readouterr().out
