"""The sample electronic licences (示例数据, issue 10, point 2): ``shuzheng loadsample`` loads
them so that the licence pages are alive on a fresh installation.

Four licence types of the sample registry's departments, each named "（示例）" and marked
``is_sample``, with the 照面信息 their paper licences carry (GB/T 36902's face information:
the fields printed on the licence besides its number, holder, issuer and validity):

- 食品经营许可证 (市场监督管理厅; 《食品经营许可和备案管理办法》: 5 years),
- 道路运输经营许可证 (交通运输厅; 《道路旅客运输及客运站管理规定》: 4 years),
- 医疗机构执业许可证 (卫生健康委员会; 《医疗机构管理条例实施细则》: 5 years),
- 老年人优待证 (民政厅; no expiry),

each issuing unit with its official seal (drawn from its name), and two licences of each
issued to fictional holders (their credit codes and identity numbers carry valid check
characters and belong to no one). Idempotent: a type that exists is kept with its licences.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from shuzheng.orgs.models import Unit
from shuzheng.trust import licence_services, licences, services
from shuzheng.trust.choices import SealKind, SealStatus
from shuzheng.trust.licence_models import LicenceType
from shuzheng.trust.models import Seal


def _credit_code(body: str) -> str:
    """A 统一社会信用代码 for the 17 characters ``body`` with its GB 32100 check character."""
    alphabet, weights = licences.CREDIT_ALPHABET, licences.CREDIT_WEIGHTS
    total = sum(alphabet.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + alphabet[(31 - total % 31) % 31]


def _identity_code(body: str) -> str:
    """A 公民身份号码 for the 17 digits ``body`` with its GB 11643 check character."""
    total = sum(int(c) * w for c, w in zip(body, licences.IDENTITY_WEIGHTS, strict=True))
    return body + licences.IDENTITY_CHECKS[total % 11]


def _field(name: str, label: str, kind: str = licences.TEXT, required: bool = True) -> dict:
    return {"name": name, "label": label, "kind": kind, "required": required}


SAMPLE_TYPES = (
    {
        "unit": "nx-market-regulation",
        "code": "SPJY",
        "name": "食品经营许可证（示例）",
        "validity": (licences.YEARS, 5),
        "fields": [
            _field("legal_representative", "法定代表人（负责人）"),
            _field("residence", "住所"),
            _field("premises", "经营场所"),
            _field("business_format", "主体业态"),
            _field("business_items", "经营项目"),
            _field("supervisor", "日常监督管理机构"),
        ],
        "holders": [
            (
                "宁夏塞上示例餐饮有限公司",
                licences.CREDIT_CODE,
                _credit_code("91640100MA7YL0R01"),
                {
                    "legal_representative": "马示例",
                    "residence": "宁夏回族自治区银川市兴庆区解放西街示例 1 号",
                    "premises": "宁夏回族自治区银川市兴庆区解放西街示例 1 号一层",
                    "business_format": "餐饮服务经营者（中型餐馆）",
                    "business_items": "热食类食品制售；冷食类食品制售",
                    "supervisor": "兴庆区市场监督管理局",
                },
            ),
            (
                "银川示例便利超市有限公司",
                licences.CREDIT_CODE,
                _credit_code("91640106MA7YL0R02"),
                {
                    "legal_representative": "李示例",
                    "residence": "宁夏回族自治区银川市金凤区北京中路示例 8 号",
                    "premises": "宁夏回族自治区银川市金凤区北京中路示例 8 号",
                    "business_format": "食品销售经营者（便利店）",
                    "business_items": "预包装食品（含冷藏冷冻食品）销售；散装食品销售",
                    "supervisor": "金凤区市场监督管理局",
                },
            ),
        ],
    },
    {
        "unit": "nx-transport",
        "code": "DLYS",
        "name": "道路运输经营许可证（示例）",
        "validity": (licences.YEARS, 4),
        "fields": [
            _field("legal_representative", "法定代表人"),
            _field("address", "地址"),
            _field("economic_type", "经济类型"),
            _field("business_scope", "经营范围"),
        ],
        "holders": [
            (
                "宁夏示例客运有限公司",
                licences.CREDIT_CODE,
                _credit_code("91640000MA7YL0R03"),
                {
                    "legal_representative": "王示例",
                    "address": "宁夏回族自治区银川市金凤区示例路 20 号",
                    "economic_type": "有限责任公司",
                    "business_scope": "省际班车客运；市际班车客运；县际包车客运",
                },
            ),
            (
                "中卫示例物流有限公司",
                licences.CREDIT_CODE,
                _credit_code("91640500MA7YL0R04"),
                {
                    "legal_representative": "张示例",
                    "address": "宁夏回族自治区中卫市沙坡头区示例大道 5 号",
                    "economic_type": "有限责任公司",
                    "business_scope": "道路普通货物运输；货物专用运输（集装箱）",
                },
            ),
        ],
    },
    {
        "unit": "nx-health",
        "code": "YLJG",
        "name": "医疗机构执业许可证（示例）",
        "validity": (licences.YEARS, 5),
        "fields": [
            _field("address", "地址"),
            _field("legal_representative", "法定代表人"),
            _field("principal", "主要负责人"),
            _field("ownership", "所有制形式"),
            _field("subjects", "诊疗科目"),
            _field("beds", "床位（张）", licences.INTEGER, required=False),
        ],
        "holders": [
            (
                "吴忠市利通区示例社区卫生服务中心",
                licences.CREDIT_CODE,
                _credit_code("12640302MB1YL0R05"),
                {
                    "address": "宁夏回族自治区吴忠市利通区示例街 12 号",
                    "legal_representative": "杨示例",
                    "principal": "杨示例",
                    "ownership": "全民所有制",
                    "subjects": "预防保健科；全科医疗科；中医科；医学检验科",
                    "beds": "30",
                },
            ),
            (
                "固原示例口腔门诊部有限公司",
                licences.CREDIT_CODE,
                _credit_code("91640402MA7YL0R06"),
                {
                    "address": "宁夏回族自治区固原市原州区示例路 3 号",
                    "legal_representative": "赵示例",
                    "principal": "赵示例",
                    "ownership": "私营",
                    "subjects": "口腔科；医学影像科（X 线诊断专业）",
                },
            ),
        ],
    },
    {
        "unit": "nx-civil-affairs",
        "code": "LNYD",
        "name": "老年人优待证（示例）",
        "validity": (licences.NO_EXPIRY, 0),
        "fields": [
            _field("gender", "性别"),
            _field("birth_date", "出生日期", licences.DATE),
            _field("address", "住址"),
        ],
        "holders": [
            (
                "周示例",
                licences.IDENTITY_CARD,
                _identity_code("64010419550312002"),
                {"gender": "女", "birth_date": "1955-03-12", "address": "银川市兴庆区示例小区"},
            ),
            (
                "马示例",
                licences.IDENTITY_CARD,
                _identity_code("64030219490801001"),
                {"gender": "男", "birth_date": "1949-08-01", "address": "吴忠市利通区示例村"},
            ),
        ],
    },
)
#: The sample licences' issue date: fixed, so that they read the same on every installation.
ISSUED_ON = dt.date(2026, 11, 2)


def load_sample_licences() -> str:
    """Create the sample seals, licence types and licences that are missing; a summary."""
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=_unit_codes())}
    made_types = made_licences = 0
    for entry in SAMPLE_TYPES:
        unit = units.get(entry["unit"])
        if unit is None or LicenceType.objects.filter(code=entry["code"]).exists():
            continue
        with transaction.atomic():
            seal = _official_seal(unit)
            kind, years = entry["validity"]
            licence_type = licence_services.save_licence_type(
                by=None,
                unit=unit,
                code=entry["code"],
                name=entry["name"],
                seal=seal,
                face_fields=entry["fields"],
                validity_kind=kind,
                validity_years=years,
                is_sample=True,
            )
            drafts = [
                licence_services.LicenceDraft(name, holder_kind, code, face, ISSUED_ON)
                for name, holder_kind, code, face in entry["holders"]
            ]
            made_licences += len(licence_services.issue_licences(licence_type, drafts, by=None))
            made_types += 1
    return f"{made_types} licence types, {made_licences} licences (示例)"


def _unit_codes() -> list[str]:
    return [entry["unit"] for entry in SAMPLE_TYPES]


def _official_seal(unit) -> Seal:
    seal = Seal.objects.filter(unit=unit, kind=SealKind.OFFICIAL, status=SealStatus.ACTIVE).first()
    return seal or services.create_seal(unit, SealKind.OFFICIAL, unit.name, by=None)
