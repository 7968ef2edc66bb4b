"""Seals, licences and verification in a real browser (issue 10, "Done when"): the seal
administrator creates a seal → the unit issues a licence sealed with it → the holder
downloads it from 我的证照 → the public verification page says 有效 → one changed byte makes
it 无效 with the reason → the seal is revoked → a new licence cannot be sealed any more, and
the old one is reported as revoked after signing."""

import pytest
from playwright.sync_api import expect

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.trust import licence_services
from shuzheng.trust.licence_models import Licence
from shuzheng.trust.models import Seal
from tests.browser.conftest import axe_violations
from tests.trust.licence_fixtures import CREDIT_CODE, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Trust-flow-2026!"
UNIT_NAME = "银川市市场监督管理局"
SEAL_NAME = "银川市市场监督管理局行政审批专用章"
HOLDER = "宁夏清真餐饮有限公司"


@pytest.fixture
def trust_world():
    unit = make_unit(name=UNIT_NAME)
    User.objects.create_user("seal_admin", password=PASSWORD, role=Role.ADMINISTRATOR)
    User.objects.create_user("market_head", password=PASSWORD, role=Role.UNIT_HEAD, unit=unit)
    holder = User.objects.create_user("qingzhen", password=PASSWORD, role=Role.ENTERPRISE)
    licence_services.bind_holder(holder, "credit_code", CREDIT_CODE, by=None)
    return unit


def log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="退出登录").click()


def verify_file(page, data: bytes):
    """Upload ``data`` on the public page; the answer's check rows by their check name."""
    page.goto("/trust/verify/")
    page.get_by_label("待验证的文件").set_input_files(
        {"name": "licence.pdf", "mimeType": "application/pdf", "buffer": data}
    )
    page.get_by_role("button", name="验证", exact=True).click()
    expect(page.locator("[data-verdict]")).to_be_visible()


def verdict(page) -> str:
    return page.locator("[data-verdict]").get_attribute("data-verdict")


def check_row(page, check: str):
    return page.locator(f"tr[data-check='{check}']").first


def issue_licence(page, premises: str):
    page.get_by_role("link", name="签发证照").click()
    page.get_by_label("持证主体").fill(HOLDER)
    page.get_by_label("证件类型").select_option(label="统一社会信用代码")
    page.get_by_label("证件号码").fill(CREDIT_CODE)
    page.get_by_label("经营者名称").fill(HOLDER)
    page.get_by_label("经营场所").fill(premises)
    # Sealing and rendering the PDF with its fonts takes seconds on a loaded machine.
    page.get_by_role("button", name="签发并加盖电子印章").click(timeout=60_000)


def test_seal_issue_download_verify_tamper_revoke(page, trust_world):
    # The seal administrator creates the unit's business seal.
    log_in(page, "seal_admin")
    page.goto("/trust/seals/new/")
    page.get_by_label("单位", exact=True).fill(UNIT_NAME)
    page.get_by_label("类型").select_option(label="业务专用章")
    page.get_by_label("印章名称").fill(SEAL_NAME)
    page.get_by_role("button", name="创建印章").click()
    expect(page.get_by_text("印章及其证书已创建。")).to_be_visible()
    seal = Seal.objects.get(name=SEAL_NAME)
    assert seal.unit == trust_world and seal.kind == "business"
    expect(page.get_by_text(seal.certificate.serial)).to_be_visible()
    assert axe_violations(page) == []
    seal_page = page.url
    log_out(page)

    # The unit defines a licence type with that seal and issues a licence.
    log_in(page, "market_head")
    page.goto("/trust/licences/types/new/")
    page.get_by_label("类型代码").fill("SPJY")
    page.get_by_label("名称", exact=True).fill("食品经营许可证")
    page.get_by_label("印章", exact=True).select_option(label=f"{UNIT_NAME} · {SEAL_NAME}")
    page.get_by_label("照面信息项").fill(
        "business_name，经营者名称，text，必填\npremises，经营场所，text，必填"
    )
    page.get_by_label("效力状态").select_option(label="自签发之日起若干年")
    page.get_by_label("有效年限").fill("5")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("证照类型已保存。")).to_be_visible()
    type_page = page.url
    issue_licence(page, "银川市兴庆区解放西街1号")
    licence = Licence.objects.get()
    expect(page.get_by_text(f"证照 {licence.number} 已签发。")).to_be_visible()
    log_out(page)

    # The holder finds it under 我的证照 and downloads the sealed PDF.
    log_in(page, "qingzhen")
    page.goto("/trust/licences/mine/")
    expect(page.get_by_text(licence.number)).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载 PDF 文件").click()
    with open(download_info.value.path(), "rb") as downloaded:
        pdf = downloaded.read()
    assert pdf == bytes(licence.pdf)
    log_out(page)

    # Anyone verifies it on the public page: valid, every check passed.
    verify_file(page, pdf)
    assert verdict(page) == "TOTAL_PASSED"
    expect(page.locator("[data-verdict]")).to_have_text("有效")
    for check in ("signature", "chain", "revocation", "validity", "document"):
        assert check_row(page, check).get_attribute("data-status") == "passed", check
    expect(page.get_by_role("definition").filter(has_text=UNIT_NAME).first).to_be_visible()
    assert axe_violations(page) == []

    # One changed byte: invalid, and the document check says why.
    changed = bytearray(pdf)
    changed[len(changed) // 3] ^= 0x01
    verify_file(page, bytes(changed))
    assert verdict(page) == "TOTAL_FAILED"
    expect(page.locator("[data-verdict]")).to_have_text("无效")
    document = check_row(page, "document")
    assert document.get_attribute("data-status") == "failed"
    expect(document).to_contain_text("文件在签章后被改动")

    # The seal administrator revokes the seal, with the reason.
    log_in(page, "seal_admin")
    page.goto(seal_page)
    page.get_by_label("吊销原因").fill("印章管理人员调整，旧章停用")
    page.get_by_role("button", name="撤销").click()
    expect(page.get_by_text("印章已吊销，吊销列表已发布。")).to_be_visible()
    seal.refresh_from_db()
    assert seal.revoked_at is not None
    log_out(page)

    # A new signature with the revoked seal is refused: no second licence.
    log_in(page, "market_head")
    page.goto(type_page)
    issue_licence(page, "银川市金凤区北京中路2号")
    expect(page.get_by_text("该类型使用的印章已吊销：请先选择其他印章。")).to_be_visible()
    assert Licence.objects.count() == 1
    log_out(page)

    # The old licence: the seal was revoked after it signed.
    verify_file(page, pdf)
    revocation = check_row(page, "revocation")
    expect(revocation).to_contain_text("晚于签章时间")
    expect(revocation).to_contain_text("印章管理人员调整，旧章停用")
    assert revocation.get_attribute("data-status") == "passed"
    assert check_row(page, "document").get_attribute("data-status") == "passed"
    assert axe_violations(page) == []
