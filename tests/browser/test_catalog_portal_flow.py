"""The open-data loop in a real browser (issue 11, "Done when"): a provider's staff registers
a resource and adds its CSV file (GB18030, as many offices still export) → submits it → the
catalog office reviews and publishes it → the public searches the portal → opens the dataset
→ sees the preview of its first rows with the columns' types → opens the file's page →
downloads the file, saved under its Chinese name with the bytes that were uploaded."""

import pytest
from playwright.sync_api import expect

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.catalog.models import DataResource, ResourceCategory
from shuzheng.catalog.samples import load_sample_catalog
from shuzheng.orgs.models import Unit
from shuzheng.orgs.services import load_sample_registry
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Catalog-flow-2026!"
TITLE = "宁夏全域旅游厕所分布（示例）"
CSV = (
    "名称,所在县区,蹲位数,建成日期\r\n"
    "沙湖景区游客中心公厕（示例）,平罗县,24,2021-06-30\r\n"
    "西夏陵景区北门公厕（示例）,西夏区,16,2022-04-18\r\n"
    "六盘山红军长征纪念馆公厕（示例）,泾源县,12,2020-09-01\r\n"
).encode("gb18030")


@pytest.fixture
def catalog_world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_sample_registry()
    load_sample_catalog()
    unit = Unit.objects.get(code="nx-culture-tourism")
    User.objects.create_user("wlt_staff", password=PASSWORD, role=Role.UNIT_STAFF, unit=unit)
    User.objects.create_user("catalog_office", password=PASSWORD, role=Role.SUPERVISOR)
    category = DataResource.objects.get(title="宁夏A级旅游景区名录").category
    assert ResourceCategory.objects.filter(code=category.code).exists()
    return {"unit": unit, "category": category}


def log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="退出登录").click()


def register_and_submit(page, world, tmp_path):
    log_in(page, "wlt_staff")
    page.goto("/catalog/new/")
    page.get_by_label("资源名称").fill(TITLE)
    page.get_by_label("资源分类").select_option(world["category"].code)
    page.get_by_label("提供方").select_option(world["unit"].code)
    page.get_by_label("访问名称").fill("nx-tourist-toilets")
    page.get_by_label("摘要").fill(
        "全区主要景区旅游厕所的名称、位置、蹲位数和建成日期（示例数据）。"
    )
    page.get_by_label("共享类型").select_option("unconditional")
    page.get_by_label("开放属性").select_option("unconditional")
    page.get_by_label("更新周期").select_option("yearly")
    for row, (name, column, data_type) in enumerate(
        [
            ("名称", "名称", "string"),
            ("所在县区", "所在县区", "string"),
            ("蹲位数", "蹲位数", "integer"),
        ],
        start=1,
    ):
        page.get_by_label(f"信息项名称 {row}").fill(name)
        page.get_by_label(f"字段名 {row}").fill(column)
        page.get_by_label(f"数据类型 {row}").select_option(data_type)
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()

    upload = tmp_path / "toilets.csv"
    upload.write_bytes(CSV)
    adding = page.get_by_role("group", name="添加分发")
    adding.get_by_label("标题").fill("旅游厕所分布（CSV）")
    adding.get_by_label("类型").select_option("file")
    adding.get_by_label("文件").set_input_files(str(upload))
    adding.get_by_label("格式").fill("CSV")
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.get_by_text("已添加分发。")).to_be_visible()
    # The provider sees the preview of the draft's file on the catalog page already.
    expect(page.get_by_role("cell", name="沙湖景区游客中心公厕（示例）")).to_be_visible()
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("资源已提交编目审核。")).to_be_visible()
    log_out(page)


def review_and_publish(page):
    log_in(page, "catalog_office")
    page.goto("/catalog/review/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page.get_by_text("资源已发布。")).to_be_visible()
    log_out(page)


def test_register_review_publish_search_preview_download(page, catalog_world, tmp_path):
    register_and_submit(page, catalog_world, tmp_path)
    review_and_publish(page)
    resource = DataResource.objects.get(title=TITLE)
    assert resource.state == "published" and resource.is_openly_downloadable

    # The public, signed out, finds it through the portal's search.
    page.goto("/data/")
    page.get_by_label("检索数据集").fill("旅游厕所")
    page.get_by_label("检索数据集").press("Enter")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()

    preview = page.get_by_role("region", name="数据预览").first
    expect(preview.get_by_role("cell", name="西夏陵景区北门公厕（示例）")).to_be_visible()
    for header, data_type in (("名称", "字符型"), ("蹲位数", "整型"), ("建成日期", "日期型")):
        expect(preview.get_by_role("columnheader", name=f"{header} {data_type}")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="旅游厕所分布（CSV）", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="旅游厕所分布（CSV）")).to_be_visible()
    expect(page.get_by_role("cell", name="六盘山红军长征纪念馆公厕（示例）")).to_be_visible()
    assert axe_violations(page) == []
    with page.expect_download() as info:
        page.get_by_role("link", name="下载旅游厕所分布（CSV）").click()
    download = info.value
    assert download.suggested_filename == "旅游厕所分布（CSV）.csv"
    saved = tmp_path / "saved.csv"
    download.save_as(saved)
    assert saved.read_bytes() == CSV
