"""Rule sets, runs, what-ifs, approval and finality (issue 12): audited, permission-checked,
a final run immutable, no final run on incomplete data without an audited override."""

import json
from decimal import Decimal as D
from decimal import localcontext

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from shuzheng.audit.models import AuditEvent
from shuzheng.ecocomp import services
from shuzheng.ecocomp.choices import RunState
from shuzheng.ecocomp.models import (
    AllocationRun,
    CountyAllocation,
    CountyFactor,
    FinalRunIsImmutable,
    Settlement,
)
from tests.ecocomp.conftest import COMPONENTS
from tests.ecocomp.workbooks import as_csv, factor_table

pytestmark = pytest.mark.django_db


def populated(rule_set, **table):
    services.import_factors(
        actor=None,
        rule_set=rule_set,
        file_name="因素.csv",
        data=as_csv(factor_table(**table)),
        source="测试",
    )
    return services.review_rule_set(actor=None, rule_set=rule_set)


def test_a_run_sums_to_the_fund_and_keeps_its_factors(rule_set, clerk):
    populated(rule_set)
    run = services.run_allocation(actor=clerk, rule_set=rule_set)
    amounts = list(run.counties.values_list("amount", flat=True))
    assert len(amounts) == 22 and sum(amounts) == D(22000000)
    assert run.factors["640104"] == {"population": "100.000000", "forest_area": "100.000000"}
    assert run.provenance["640104"]["population"].startswith("import #")
    assert run.gaps == []
    assert AuditEvent.objects.filter(action="ecocomp.run", object_id=str(run.pk)).exists()


def test_staff_of_another_unit_may_not_run(rule_set, monitor):
    populated(rule_set)
    with pytest.raises(PermissionDenied):
        services.run_allocation(actor=monitor, rule_set=rule_set)


def test_what_if_one_weight_shows_who_gains(rule_set, clerk):
    """Population 100 + i and forest 100 + i for county i: raising the population weight
    changes nothing when both factors are equal; changing one county's forest area does."""
    populated(rule_set, value=lambda index, column: str(100 + index) if column == 0 else "100")
    base = services.run_allocation(actor=clerk, rule_set=rule_set)
    result = services.what_if(
        actor=clerk, base=base, weights={"guidance": {"population": "0.8", "forest_area": "0.2"}}
    )
    gains = {change.code: change.delta for change in result.changes}
    assert sum(gains.values()) == 0
    assert gains["640522"] > 0 > gains["640104"]  # the largest population gains most
    line = next(
        line
        for line in CountyAllocation.objects.get(run=result.run, region__code="640104").lines
        if line[1] == "population"
    )
    assert line[4] == "0.8"
    assert result.run.changes["weights"] == {
        "guidance": {"population": "0.8", "forest_area": "0.2"}
    }


def test_approve_then_final_then_immutable(rule_set, clerk, head):
    populated(rule_set)
    run = services.run_allocation(actor=clerk, rule_set=rule_set)
    with pytest.raises(PermissionDenied):
        services.approve_run(actor=clerk, run=run)
    run = services.approve_run(actor=head, run=run)
    run = services.finalise_run(actor=head, run=run)
    assert run.state == RunState.FINAL and run.finalised_by == head
    run.note = "changed"
    with pytest.raises(FinalRunIsImmutable):
        run.save()
    with pytest.raises(services.EcocompError):
        services.approve_run(actor=head, run=run)
    assert AllocationRun.objects.get(pk=run.pk).note == ""


def test_no_final_run_on_gaps_without_an_audited_reason(rule_set, clerk, head):
    rule_set.components = [
        *COMPONENTS[:1],
        {**COMPONENTS[1], "weights": {"population": "0.5", "wetland_area": "0.5"}},
    ]
    rule_set.save()
    populated(rule_set)  # no wetland area anywhere: 22 gaps, counted as zero
    with pytest.raises(services.EcocompError):
        services.run_allocation(actor=clerk, rule_set=rule_set)  # zero for every county
    services.import_factors(
        actor=None,
        rule_set=rule_set,
        file_name="湿地.csv",
        data=as_csv(factor_table(headers=("湿地面积",))),
    )
    services.set_factor(
        actor=None,
        rule_set=rule_set,
        region=services.counties()[0],
        factor="population",
        value="5",
        source="更正",
    )
    CountyFactor.objects.filter(factor="wetland_area", region__code="640522").delete()
    run = services.run_allocation(actor=clerk, rule_set=rule_set)
    assert run.gaps == [["640522", "wetland_area"]]
    run = services.approve_run(actor=head, run=run)
    with pytest.raises(services.EcocompError, match="missing values"):
        services.finalise_run(actor=head, run=run)
    run = services.finalise_run(actor=head, run=run, override_reason="海原县湿地数据待补，先行下达")
    event = AuditEvent.objects.get(action="ecocomp.finalise_run_with_gaps")
    assert event.after["override_reason"] == "海原县湿地数据待补，先行下达"
    assert event.after["gaps"] == [["640522", "wetland_area"]]


def test_a_rule_set_without_sources_is_not_reviewed(finance):
    rule_set = services.create_rule_set(
        actor=None,
        owner=finance,
        year=2024,
        fund_name="f",
        name="n",
        fund="1000",
        components=COMPONENTS,
        sources={"fund": "x"},
    )
    with pytest.raises(services.EcocompError) as error:
        services.review_rule_set(actor=None, rule_set=rule_set)
    assert error.value.problems == [
        "Parameter base has no source document.",
        "Parameter guidance has no source document.",
    ]


def test_rules_that_do_not_sum_are_refused(finance):
    with pytest.raises(services.EcocompError) as error:
        services.create_rule_set(
            actor=None,
            owner=finance,
            year=2024,
            fund_name="f",
            name="n",
            fund="1000",
            components=[{"key": "base", "kind": "equal", "share": "0.9"}],
            sources={},
        )
    assert error.value.problems == ["The component shares sum to 0.9, not 1."]


def test_the_sample_settles_wufosi_and_the_ditch(sample_data):
    """The sample's 2024 means at 五佛寺 are Class II (高锰酸盐指数, 氨氮, 总磷): as published, neither
    side pays at Class II."""
    wufosi = Settlement.objects.get(agreement__section__code="wufosi", period="2024")
    assert (wufosi.payer, wufosi.payee, wufosi.amount, wufosi.complete) == ("", "", D(0), True)
    assert wufosi.agreement.start_year == 2023 and wufosi.agreement.end_year == 2025
    assert wufosi.agreement.amount == D(50000000)
    ditch = Settlement.objects.get(agreement__section__code="ditch3-outfall", period="2024")
    assert ditch.complete and ditch.payer == "平罗县" and ditch.amount > 0
    assert len(ditch.flags) >= 2  # the August gap and the September suspect row


def test_sample_run_is_stored_as_a_draft(sample_data):
    run = AllocationRun.objects.get(rule_set__is_sample=True)
    assert run.state == RunState.DRAFT
    assert sum(run.counties.values_list("amount", flat=True)) == D(500000000)


def test_cli_allocate_sample_json_sums_to_the_fund(capsys):
    call_command("ecocomp", "allocate", "--sample", "--json")
    data = json.loads(capsys.readouterr().out)
    assert len(data["counties"]) == 22
    assert sum(D(county["amount"]) for county in data["counties"]) == D(data["fund"])
    with localcontext() as context:
        context.prec = 60  # the lines carry the allocation's 50 significant digits
        for county in data["counties"]:
            lines = sum(D(line["amount"]) for line in county["lines"])
            assert abs(D(county["amount"]) - lines) < D("1e-30")


def test_cli_settle_sample_json(capsys):
    call_command("ecocomp", "settle", "--sample", "--json")
    data = json.loads(capsys.readouterr().out)
    assert (data["payer"], data["payee"], data["amount"], data["complete"]) == ("", "", "0", True)
    assert data["lines"] == [["class", "2 (codmn) vs 2"]]  # the first Class II indicator
