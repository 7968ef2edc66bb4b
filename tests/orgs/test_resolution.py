"""Unit tests of the pure resolver (orgs.resolution): normalisation, groups, prefix carry,
role words, unknown and ambiguous names, bad registry data."""

import json
from pathlib import Path

import pytest

from shuzheng.orgs.resolution import (
    GroupRecord,
    RegionRecord,
    Registry,
    RegistryDataError,
    UnitRecord,
    normalise_name,
    records_from_data,
)

REGISTRY_FILE = Path(__file__).resolve().parents[2] / "src/shuzheng/orgs/data/ningxia.json"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.from_data(json.loads(REGISTRY_FILE.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("自治区各部门(单位)", "自治区各部门（单位）"),
        (" 自治区 财政厅\n", "自治区财政厅"),
        ("宁夏通信管理局等部门(单位)", "宁夏通信管理局"),
        ("自治区公共资源交易管理局等部门", "自治区公共资源交易管理局"),
        ("自治区党委编办等", "自治区党委编办"),
        ("自治区统计局等有关部门（单位）", "自治区统计局"),
        ("自治区审计厅等相关部门（单位）", "自治区审计厅"),
    ],
)
def test_normalise_name(written, normalised):
    assert normalise_name(written) == normalised


@pytest.mark.parametrize(
    ("name", "code", "matched_by"),
    [
        ("宁夏回族自治区财政厅", "nx-finance", "name"),
        ("财政厅", "nx-finance", "short_name"),
        ("自治区财政厅", "nx-finance", "alias"),
        ("自治区发展改革委", "nx-development-reform", "alias"),
        ("发展改革委", "nx-development-reform", "short_name"),
        ("自治区政府办公厅", "nx-general-office", "alias"),
        ("宁夏回族自治区人民政府办公厅", "nx-general-office", "name"),
        ("国家税务总局宁夏回族自治区税务局", "nx-taxation", "name"),
        ("宁夏税务局", "nx-taxation", "short_name"),
        ("银川市", "gov-640100", "region"),
        ("灵武市", "gov-640181", "region"),
        ("自治区人大法工委", "nx-congress-legislative-affairs", "alias"),
        ("自治区文化和旅游厅", "nx-culture-tourism", "alias"),
        ("自治区财政厅等部门(单位)", "nx-finance", "alias"),
    ],
)
def test_resolve_one_name(registry, name, code, matched_by):
    resolution = registry.resolve(name)
    assert resolution.resolved
    assert resolution.unit_codes == [code]
    assert resolution.group is None
    assert resolution.matched_by == matched_by


def test_all_cities_and_counties_are_the_27_governments(registry):
    for written in ("各市、县（区）", "各市、县(区)", "各市、县（区）人民政府"):
        resolution = registry.resolve(written)
        assert resolution.group == "all-cities-and-counties"
        assert not resolution.open_group
        assert len(resolution.unit_codes) == 27
    codes = registry.resolve("各市、县（区）").unit_codes
    assert "gov-640100" in codes and "gov-640522" in codes and "gov-640000" not in codes


def test_prefecture_cities_and_counties(registry):
    cities = ["gov-640100", "gov-640200", "gov-640300", "gov-640400", "gov-640500"]
    assert registry.resolve("各地级市").unit_codes == cities
    assert registry.resolve("5市").unit_codes == cities
    counties = registry.resolve("各县（市、区）").unit_codes
    assert len(counties) == 22 and not set(counties) & set(cities)
    assert {registry.units[code].region[:4] for code in counties} == {
        "6401",
        "6402",
        "6403",
        "6404",
        "6405",
    }


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("自治区有关部门（单位）", "region-relevant-units"),
        ("自治区相关部门", "region-relevant-units"),
        ("自治区各部门(单位)", "region-all-units"),
        ("承担数字化发展职能的自治区有关部门(单位)", "region-digital-development-units"),
    ],
)
def test_indeterminate_groups_are_named_without_members(registry, written, key):
    resolution = registry.resolve(written)
    assert resolution.resolved and resolution.open_group
    assert resolution.group == key
    assert resolution.unit_codes == []


def test_unknown_name_is_unresolved_by_name(registry):
    resolution = registry.resolve("自治区大数据管理服务局")
    assert not resolution.resolved
    assert resolution.name == "自治区大数据管理服务局"
    assert resolution.unit_codes == [] and resolution.group is None


def test_ambiguous_name_is_not_guessed():
    region = RegionRecord(code="640000", name="宁夏回族自治区", level="province")
    registry = Registry(
        [region],
        [
            UnitRecord("a", "甲单位", "department", "640000", aliases=("同名",)),
            UnitRecord("b", "乙单位", "department", "640000", aliases=("同名",)),
        ],
    )
    resolution = registry.resolve("同名")
    assert not resolution.resolved
    assert resolution.unit_codes == []
    assert resolution.candidates == ["a", "b"]


def test_split_carries_the_region_prefix_past_a_party_body(registry):
    text = "自治区党委网信办, 发展改革委、公安厅、安全厅, 宁夏通信管理局等部门(单位)"
    assert registry.split_unit_names(text) == [
        "自治区党委网信办",
        "自治区发展改革委",
        "自治区公安厅",
        "自治区安全厅",
        "宁夏通信管理局",
    ]


def test_split_carries_the_party_prefix_between_party_bodies(registry):
    assert registry.split_unit_names("自治区党委组织部、宣传部，人力资源社会保障厅，科协") == [
        "自治区党委组织部",
        "自治区党委宣传部",
        "自治区人力资源社会保障厅",
        "自治区科协",
    ]
    # 档案局 is no party committee body by name: the shorter prefix gives the known unit.
    assert registry.split_unit_names("自治区党委办公厅、档案局") == [
        "自治区党委办公厅",
        "自治区档案局",
    ]


def test_split_separators_and_groups_kept_whole(registry):
    assert registry.split_unit_names("自治区各部门（单位）及各市、县（区）") == [
        "自治区各部门（单位）",
        "各市、县（区）",
    ]
    assert registry.split_unit_names("自治区有关部门（单位）和各地级市") == [
        "自治区有关部门（单位）",
        "各地级市",
    ]
    assert registry.split_unit_names("自治区工业和信息化厅、文化和旅游厅") == [
        "自治区工业和信息化厅",
        "自治区文化和旅游厅",
    ]
    assert registry.split_unit_names("银川市、中卫市") == ["银川市", "中卫市"]


def test_split_reports_an_unknown_name_with_the_carried_prefix(registry):
    assert registry.split_unit_names("自治区财政厅、数据局") == ["自治区财政厅", "自治区数据局"]


def role_names(result):
    return {role: [r.name for r in items] for role, items in result.by_role().items()}


def test_lead_and_supporting(registry):
    result = registry.parse_responsibility(
        "自治区发展改革委、工业和信息化厅牵头负责，自治区有关部门（单位）及银川市、中卫市配合"
    )
    assert role_names(result) == {
        "lead": ["自治区发展改革委", "自治区工业和信息化厅"],
        "owner": [],
        "supporting": ["自治区有关部门（单位）", "银川市", "中卫市"],
    }
    assert [r.unit_codes for r in result.supporting[1:]] == [["gov-640100"], ["gov-640500"]]


def test_lead_owner_and_supporting(registry):
    result = registry.parse_responsibility(
        "自治区农业农村厅牵头，各市、县（区）具体负责，自治区有关部门（单位）配合"
    )
    assert role_names(result) == {
        "lead": ["自治区农业农村厅"],
        "owner": ["各市、县（区）"],
        "supporting": ["自治区有关部门（单位）"],
    }


@pytest.mark.parametrize(
    ("text", "owners"),
    [
        ("自治区国资委负责", ["自治区国资委"]),
        ("自治区各部门(单位)及各市、县(区)分别负责", ["自治区各部门（单位）", "各市、县（区）"]),
        (
            "自治区财政厅、水利厅、农业农村厅，各市、县（区）",
            ["自治区财政厅", "自治区水利厅", "自治区农业农村厅", "各市、县（区）"],
        ),
    ],
)
def test_owners(registry, text, owners):
    result = registry.parse_responsibility(text)
    assert role_names(result) == {"lead": [], "owner": owners, "supporting": []}


def test_open_group_owner_with_supporting_party_body(registry):
    result = registry.parse_responsibility(
        "承担数字化发展职能的自治区有关部门(单位)分别负责, 自治区党委编办等配合"
    )
    assert result.owner[0].open_group
    assert result.owner[0].group == "region-digital-development-units"
    assert [r.unit_codes for r in result.supporting] == [["nx-party-establishment"]]


def test_participate_is_supporting(registry):
    result = registry.parse_responsibility(
        "自治区政府办公厅负责，各市、县（区）、自治区相关部门参与"
    )
    assert [r.name for r in result.owner] == ["自治区政府办公厅"]
    assert [r.name for r in result.supporting] == ["各市、县（区）", "自治区相关部门"]


def test_unresolved_names_are_listed_once(registry):
    result = registry.parse_responsibility("自治区数据局牵头负责，自治区财政厅、数据局配合")
    assert result.unresolved == ["自治区数据局"]
    assert [r.resolved for r in result.supporting] == [True, False]
    assert result.lead[0].written == "自治区数据局"


def test_registry_data_errors_are_listed():
    data = {
        "regions": [
            {"code": "1", "name": "甲", "level": "province"},
            {"code": "1", "name": "乙", "level": "city", "parent": "1"},
        ],
        "units": [{"code": "u", "name": "单位", "kind": "department"}],
    }
    with pytest.raises(RegistryDataError) as error:
        records_from_data(data)
    assert "duplicate region code '1'" in error.value.problems
    assert "units[1]: 'region' is required" in error.value.problems


def test_references_are_checked():
    regions = [
        RegionRecord("1", "甲省", "province"),
        RegionRecord("2", "乙市", "city", parent="9"),
        RegionRecord("3", "丙市", "metropolis", parent="1"),
    ]
    units = [
        UnitRecord("a", "A", "department", "1", parent="b"),
        UnitRecord("b", "B", "department", "1", parent="a"),
        UnitRecord("c", "C", "ministry", "7"),
    ]
    groups = [GroupRecord("g", "各市", scope="8", member_levels=("city", "borough"))]
    with pytest.raises(RegistryDataError) as error:
        Registry(regions, units, groups)
    assert error.value.problems == [
        "region 2: unknown parent region '9'",
        "region 3: unknown level 'metropolis'",
        "unit c: unknown kind 'ministry'",
        "unit c: unknown region '7'",
        "group g: unknown scope region '8'",
        "group g: unknown member level 'borough'",
        "unit a: its parents form a cycle",
        "unit b: its parents form a cycle",
    ]


def test_the_sample_registry_has_the_real_divisions(registry):
    cities = {
        code: region.name for code, region in registry.regions.items() if region.level == "city"
    }
    assert cities == {
        "640100": "银川市",
        "640200": "石嘴山市",
        "640300": "吴忠市",
        "640400": "固原市",
        "640500": "中卫市",
    }
    counties = {
        region.name: region.parent
        for region in registry.regions.values()
        if region.level == "county"
    }
    assert len(counties) == 22
    assert counties["红寺堡区"] == "640300" and counties["海原县"] == "640500"
    assert all(registry.government_of(code) for code in registry.regions)


def test_registry_data_must_hold_something():
    with pytest.raises(RegistryDataError, match="no 'regions', 'units' or 'groups'"):
        records_from_data({"region": []})
    with pytest.raises(RegistryDataError, match="must be a JSON object"):
        records_from_data([])
    with pytest.raises(RegistryDataError, match="'units' must be a list"):
        records_from_data({"units": {}})


def test_a_province_registry_carries_its_own_prefix():
    registry = Registry.from_data(
        {
            "regions": [{"code": "620000", "name": "甘肃省", "level": "province"}],
            "units": [
                {
                    "code": "gs-gov",
                    "name": "甘肃省人民政府",
                    "kind": "government",
                    "region": "620000",
                },
                {
                    "code": "gs-drc",
                    "name": "甘肃省发展和改革委员会",
                    "short_name": "发展改革委",
                    "aliases": ["省发展改革委"],
                    "kind": "department",
                    "region": "620000",
                },
                {
                    "code": "gs-finance",
                    "name": "甘肃省财政厅",
                    "short_name": "财政厅",
                    "aliases": ["省财政厅"],
                    "kind": "department",
                    "region": "620000",
                },
            ],
        }
    )
    assert registry.split_unit_names("省发展改革委、财政厅") == ["省发展改革委", "省财政厅"]
    result = registry.parse_responsibility("省财政厅牵头，甘肃省配合")
    assert [r.unit_codes for r in result.lead + result.supporting] == [["gs-finance"], ["gs-gov"]]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("nx-development-reform", "nx-development-reform"),  # a code
        ("宁夏回族自治区发展和改革委员会", "nx-development-reform"),  # the full name
        ("发展改革委", "nx-development-reform"),  # the short name
        ("自治区发改委", "nx-development-reform"),  # an alias
        ("发展和改革委员会", "nx-development-reform"),  # a part of the full name
    ],
)
def test_loosely_named_finds_a_unit_by_code_name_alias_or_part(registry, text, code):
    assert code in [unit.code for unit in registry.loosely_named(text)]


def test_loosely_named_may_name_many_units_and_none(registry):
    assert len(registry.loosely_named("人民政府")) > 1
    assert registry.loosely_named("不存在的机关") == []


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("自治区财政厅", "宁夏回族自治区财政厅"),
        ("宁夏回族自治区财政厅", "宁夏回族自治区财政厅"),
        ("自治区发展改革委", "宁夏回族自治区发展和改革委员会"),
        ("各市、县(区)", "各市、县（区）"),
        ("自治区 不存在厅", "自治区不存在厅"),
    ],
)
def test_canonical_name_is_one_name_per_unit(registry, written, canonical):
    assert registry.canonical_name(written) == canonical
