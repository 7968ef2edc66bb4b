"""Loading the registry (idempotent, audited, all-or-nothing) and the cached resolver."""

import copy
import json

import pytest
from django.core.management import CommandError, call_command

from shuzheng.audit.models import AuditEvent
from shuzheng.orgs import services
from shuzheng.orgs.choices import RegionLevel, UnitKind
from shuzheng.orgs.filtersets import RegistryFilterSet
from shuzheng.orgs.models import Region, Unit, UnitGroup
from shuzheng.orgs.resolution import REGION_LEVELS, UNIT_KINDS, RegistryDataError

pytestmark = pytest.mark.django_db


def sample_data() -> dict:
    return json.loads(services.SAMPLE_REGISTRY.read_text(encoding="utf-8"))


def test_choices_agree_with_the_pure_resolver():
    assert tuple(RegionLevel.values) == REGION_LEVELS
    assert tuple(UnitKind.values) == UNIT_KINDS


def test_sample_load_creates_everything_and_audits_it():
    summary = services.load_sample_registry()
    assert summary.startswith("regions: 28 created")
    assert Region.objects.count() == 28
    assert Unit.objects.count() == len(sample_data()["units"])
    assert UnitGroup.objects.count() == 7
    created = AuditEvent.objects.filter(action__endswith=".create")
    assert created.count() == 28 + Unit.objects.count() + 7
    office = Unit.objects.get(code="nx-general-office")
    assert office.parent.code == "gov-640000" and office.region.code == "640000"
    assert "自治区政府办公厅" in office.aliases
    assert Region.objects.get(code="640181").parent.code == "640100"


def test_second_load_changes_nothing():
    services.load_sample_registry()
    events = AuditEvent.objects.count()
    summary = services.load_sample_registry()
    assert "0 created, 0 updated" in summary
    assert AuditEvent.objects.count() == events


def test_changed_record_is_updated_with_before_and_after(django_user_model):
    services.load_sample_registry()
    data = sample_data()
    unit = next(item for item in data["units"] if item["code"] == "nx-finance")
    unit["aliases"] = [*unit["aliases"], "财政部门"]
    actor = django_user_model.objects.create(username="loader")
    summary = services.load_registry(data, actor=actor)
    assert summary.counts["units"]["updated"] == 1
    event = AuditEvent.objects.get(action="orgs.unit.update")
    assert event.actor == actor
    assert "财政部门" not in event.before["aliases"]
    assert "财政部门" in event.after["aliases"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d["regions"][3].update(parent="649999"), "unknown parent region '649999'"),
        (lambda d: d["units"].append(dict(d["units"][0])), "duplicate unit code 'gov-640000'"),
        (lambda d: d["units"][-1].update(parent="no-such-unit"), "unknown parent unit"),
        (lambda d: d["groups"][0].update(member_levels=["district"]), "unknown member level"),
    ],
)
def test_bad_data_changes_nothing(change, problem):
    data = copy.deepcopy(sample_data())
    change(data)
    with pytest.raises(RegistryDataError) as error:
        services.load_registry(data)
    assert any(problem in message for message in error.value.problems)
    assert Region.objects.count() == Unit.objects.count() == AuditEvent.objects.count() == 0


def test_a_name_already_used_in_the_database_is_refused():
    services.load_sample_registry()
    data = {
        "regions": [],
        "units": [
            {
                "code": "nx-finance-2",
                "name": "宁夏回族自治区财政厅",
                "kind": "department",
                "region": "640000",
            }
        ],
    }
    with pytest.raises(RegistryDataError, match="already used by unit nx-finance"):
        services.load_registry(data)
    assert not Unit.objects.filter(code="nx-finance-2").exists()


def test_a_file_may_refer_to_regions_already_loaded():
    services.load_sample_registry()
    data = {
        "regions": [],
        "units": [
            {
                "code": "yc-big-data",
                "name": "银川市大数据管理服务局",
                "short_name": "银川市大数据局",
                "kind": "department",
                "region": "640100",
                "parent": "gov-640100",
            }
        ],
    }
    services.load_registry(data)
    assert services.get_resolver().resolve("银川市大数据局").unit_codes == ["yc-big-data"]


def test_resolver_is_cached_and_sees_changes(django_assert_max_num_queries):
    services.load_sample_registry()
    first = services.get_resolver()
    with django_assert_max_num_queries(3):
        assert services.get_resolver() is first
    assert not first.resolve("财政部门").resolved
    unit = Unit.objects.get(code="nx-finance")
    unit.aliases = [*unit.aliases, "财政部门"]
    services.save_record(unit, actor=None)
    assert services.get_resolver() is not first
    assert services.get_resolver().resolve("财政部门").unit_codes == ["nx-finance"]


def test_delete_record_is_audited():
    services.load_sample_registry()
    unit = Unit.objects.get(code="nx-ningxia-university")
    services.delete_record(unit, actor=None)
    event = AuditEvent.objects.get(action="orgs.unit.delete")
    assert event.object_repr == "宁夏大学" and event.before["code"] == "nx-ningxia-university"
    assert services.get_resolver().resolve("宁夏大学").resolved is False


def tree(query: str):
    return services.registry_tree(RegistryFilterSet({"q": query}, queryset=Unit.objects.all()))


def test_registry_tree_filters_by_unit_and_region_names():
    services.load_sample_registry()
    [root] = tree("税务")
    assert [unit.code for unit in root.units] == ["nx-taxation"]
    assert root.children == []
    [root] = tree("吴忠")
    [city] = root.children
    assert [unit.code for unit in city.units] == ["gov-640300"]
    assert len(city.children) == 5 and city.unit_count == 6
    [root] = tree("海原")
    [city] = root.children
    assert city.region.name == "中卫市" and city.units == []
    [county] = city.children
    assert [unit.code for unit in county.units] == ["gov-640522"]
    assert tree("没有这个名字") == []


def test_loadorgs_command(capsys):
    call_command("loadorgs")
    assert "regions: 28 created" in capsys.readouterr().out
    call_command("loadorgs")
    assert "28 unchanged" in capsys.readouterr().out


def test_loadorgs_command_reports_bad_files(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"regions": [{"code": "1", "name": "x", "level": "city", "parent": "9"}]}')
    with pytest.raises(CommandError, match="unknown parent region '9'"):
        call_command("loadorgs", str(bad))
    with pytest.raises(CommandError, match="cannot read"):
        call_command("loadorgs", str(tmp_path / "missing.json"))
    assert Region.objects.count() == 0
