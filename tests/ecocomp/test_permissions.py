"""Who may use the ecocomp routes. The matrix world's unit is the finance and environment
unit here (it owns the rule set, the section and the agreement), so its staff prepare, its
head approves, other roles are refused; final allocations are public; a county's page is
its own people's (the world's region made a county) and the supervisors'."""

from django.urls import reverse

from shuzheng.ecocomp import services
from shuzheng.ecocomp.models import AllocationRun
from tests.ecocomp.conftest import COMPONENTS, SOURCES
from tests.permissions import EVERYONE, UNIT_MEMBERS, UNIT_READERS, Case, matrix_test

HEADS = frozenset({"unit_head", "administrator"})


def make_objects(world):
    world.region.level = "county"
    world.region.save()
    rule_set = services.create_rule_set(
        actor=None,
        owner=world.unit,
        year=2024,
        fund_name="矩阵资金",
        name="矩阵方案",
        fund="1000",
        components=COMPONENTS,
        sources=SOURCES,
    )
    services.review_rule_set(actor=None, rule_set=rule_set)
    data = "区划代码,常住人口,森林面积\n649900,10,20\n".encode()
    services.import_factors(actor=None, rule_set=rule_set, file_name="m.csv", data=data)
    draft = services.run_allocation(actor=None, rule_set=rule_set)
    approved = services.approve_run(
        actor=None, run=services.run_allocation(actor=None, rule_set=rule_set)
    )
    final = services.finalise_run(
        actor=None,
        run=services.approve_run(
            actor=None, run=services.run_allocation(actor=None, rule_set=rule_set)
        ),
    )
    section = services.create_section(
        actor=None,
        owner=world.unit,
        code="matrix-section",
        name="矩阵断面",
        river="黄河",
        kind="main_stream",
    )
    agreement = services.create_agreement(
        actor=None,
        owner=world.unit,
        name="矩阵协议",
        upstream="甲",
        downstream="乙",
        section=section,
        method="class_threshold",
        indicators=["nh3n"],
        parameters={"threshold_class": 2, "min_samples": 1},
        amount="100",
        start_year=2024,
        end_year=2024,
        source="测试",
    )
    settlement = services.settle(actor=None, agreement=agreement, period="2024")
    return {
        "rule_set": rule_set,
        "draft": draft,
        "approved": approved,
        "final": final,
        "agreement": agreement,
        "settlement": settlement,
    }


def url(name, key=None, *more):
    def path(world):
        args = [world.objects[key].pk] if key else []
        return reverse(f"ecocomp:{name}", args=[*args, *more])

    return path


def county_code(world):
    return world.region.code


def fresh_draft(world):
    return reverse("ecocomp:approve", args=[world.objects["draft"].pk])


MATRIX = [
    Case("ecocomp:published", allowed=EVERYONE),
    Case("ecocomp:run", path=url("run", "final"), allowed=EVERYONE, label="final"),
    Case("ecocomp:run", path=url("run", "draft"), allowed=UNIT_MEMBERS, label="draft"),
    Case(
        "ecocomp:explain",
        path=lambda w: reverse("ecocomp:explain", args=[w.objects["final"].pk, county_code(w)]),
        allowed=EVERYONE,
        label="final",
    ),
    Case(
        "ecocomp:explain",
        path=lambda w: reverse("ecocomp:explain", args=[w.objects["approved"].pk, county_code(w)]),
        allowed=UNIT_READERS,
        label="approved",
    ),
    Case("ecocomp:run_xlsx", path=url("run_xlsx", "final"), allowed=EVERYONE),
    Case("ecocomp:run_pdf", path=url("run_pdf", "draft"), allowed=UNIT_MEMBERS),
    # Sealed by the finance unit (issue 10, point 3): its head's sealing right.
    Case(
        "ecocomp:run_sealed_pdf",
        method="post",
        path=url("run_sealed_pdf", "final"),
        data=lambda w: {"unit": w.unit.pk},
        allowed=HEADS,
    ),
    Case("ecocomp:rule_sets", allowed=UNIT_MEMBERS),
    Case("ecocomp:rule_set", path=url("rule_set", "rule_set"), allowed=UNIT_MEMBERS),
    Case(
        "ecocomp:import_factors",
        method="post",
        path=url("import_factors", "rule_set"),
        data={},
        allowed=UNIT_MEMBERS,
    ),
    Case("ecocomp:review", method="post", path=url("review", "rule_set"), allowed=HEADS),
    Case(
        "ecocomp:run_rule_set",
        method="post",
        path=url("run_rule_set", "rule_set"),
        allowed=UNIT_MEMBERS,
    ),
    Case(
        "ecocomp:evaluate",
        method="post",
        path=url("evaluate", "rule_set"),
        allowed=UNIT_MEMBERS,
    ),
    Case(
        "ecocomp:what_if",
        method="post",
        path=url("what_if", "draft"),
        data={},
        allowed=UNIT_MEMBERS,
    ),
    Case("ecocomp:approve", method="post", path=fresh_draft, allowed=HEADS),
    Case("ecocomp:finalise", method="post", path=url("finalise", "approved"), allowed=HEADS),
    Case("ecocomp:my_county", allowed=UNIT_READERS),
    Case(
        "ecocomp:county",
        path=lambda w: reverse("ecocomp:county", args=[county_code(w)]),
        allowed=UNIT_READERS,
    ),
    Case("ecocomp:sections", allowed=UNIT_MEMBERS),
    Case("ecocomp:import_monitoring", method="post", data={}, allowed=UNIT_MEMBERS),
    Case(
        "ecocomp:section",
        path=lambda w: reverse("ecocomp:section", args=["matrix-section"]),
        allowed=UNIT_MEMBERS,
    ),
    Case("ecocomp:agreements", allowed=UNIT_MEMBERS),
    Case("ecocomp:agreement", path=url("agreement", "agreement"), allowed=UNIT_MEMBERS),
    Case(
        "ecocomp:settle",
        method="post",
        path=url("settle", "agreement"),
        data={"period": "2024"},
        allowed=UNIT_MEMBERS,
    ),
    Case("ecocomp:settlement", path=url("settlement", "settlement"), allowed=UNIT_MEMBERS),
    Case(
        "ecocomp:settlement_xlsx", path=url("settlement_xlsx", "settlement"), allowed=UNIT_MEMBERS
    ),
    Case("ecocomp:settlement_pdf", path=url("settlement_pdf", "settlement"), allowed=UNIT_MEMBERS),
    Case(
        "ecocomp:settlement_sealed_pdf",
        method="post",
        path=url("settlement_sealed_pdf", "settlement"),
        data=lambda w: {"unit": w.unit.pk},
        allowed=HEADS,
    ),
]
MATRIX += [
    Case("api:ecocomp_allocations", allowed=EVERYONE),
    Case(
        "api:ecocomp_run",
        path=lambda w: f"/api/v1/ecocomp/runs/{w.objects['final'].pk}",
        allowed=EVERYONE,
        label="final",
    ),
    Case(
        "api:ecocomp_run",
        path=lambda w: f"/api/v1/ecocomp/runs/{w.objects['draft'].pk}",
        allowed=UNIT_MEMBERS,
        label="draft",
    ),
]
test_matrix = matrix_test(MATRIX, setup=make_objects)


def test_another_units_staff_may_not_read_a_draft(client, matrix_world):
    """The unit-bound half: staff of another unit hold manage_ecocomp, not for this unit."""
    objects = make_objects(matrix_world)
    outsider = matrix_world.users["unit_staff"]
    outsider.unit = matrix_world.other_unit
    outsider.save()
    client.force_login(outsider)
    assert client.get(reverse("ecocomp:run", args=[objects["draft"].pk])).status_code == 403
    assert client.get(reverse("ecocomp:rule_set", args=[objects["rule_set"].pk])).status_code == 403
    assert (
        client.post(reverse("ecocomp:run_rule_set", args=[objects["rule_set"].pk])).status_code
        == 403
    )
    assert AllocationRun.objects.count() == 3
