"""A query-count budget for every list page and every list API (issue 8, item 2; NetBox's
tests/query_counts.json).

Each list is requested with 2 rows and with 20: both must stay within the list's budget in
``tests/query_budgets.json`` and cost the same number of queries, so a query per row (N+1)
fails here instead of slowing production. :func:`test_every_list_route_has_a_budget` finds
the list routes itself — pages from the URLconf (generic list views, and any page whose
context holds a paginator page or a table), API operations from the OpenAPI schema (a GET
that answers an array or a page of items) — and names every one without a budget.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.paginator import Page
from django.db import connection
from django.test.utils import CaptureQueriesContext, ContextList
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.generic.list import MultipleObjectMixin

from shuzheng.accounts.models import User
from shuzheng.accounts.permissions import (
    ADMINISTRATOR,
    ANONYMOUS,
    CITIZEN,
    SUPERVISOR,
    UNIT_HEAD,
    UNIT_STAFF,
)
from shuzheng.accounts.services import create_token
from shuzheng.api import api
from shuzheng.audit.services import record_change
from shuzheng.clock import now
from shuzheng.dashboard.services import refresh_snapshot
from shuzheng.documents.models import Document
from shuzheng.notifications import services as notification_services
from shuzheng.notifications.choices import Channel
from shuzheng.notifications.models import Delivery, Notification
from shuzheng.orgs.models import Region, Unit
from shuzheng.subscriptions import services as subscription_services
from shuzheng.tables import Table
from tests.catalog import quality_budget_rows as quality_rows
from tests.documents import parsed_samples as samples
from tests.documents.test_services import ingest
from tests.ecocomp import budget_rows as ecocomp_rows
from tests.exchange import data_budget_rows as exchange_data_rows
from tests.exchange.feed_budget_rows import feed_subscriptions
from tests.exchange.log_budget_rows import message_log_entries
from tests.exchange_requests import budget_rows as exchange_request_rows
from tests.permissions import API_PREFIX, World, api_operation_paths
from tests.tasks.factories import add_report, assign, make_task
from tests.test_permission_coverage import EXCLUDED_NAMESPACES, page_route_names
from tests.trust.licence_fixtures import budget_licence_types, budget_licences
from tests.trust.seal_fixtures import (
    budget_revoked_seals,
    budget_seal,
    budget_seal_uses,
    budget_seals,
)

BUDGETS_FILE = Path(__file__).with_name("query_budgets.json")
BUDGETS: dict[str, int] = json.loads(BUDGETS_FILE.read_text())
FEW, MANY = 2, 20
_NUMBERS = itertools.count(1)


def numbers(n: int) -> list[int]:
    """``n`` numbers never handed out before, for unique names across the two fillings."""
    return [next(_NUMBERS) for _ in range(n)]


@dataclass(frozen=True)
class ListCase:
    """How to fill one list with ``n`` rows the requesting ``role`` sees, and its path."""

    route: str
    role: str
    make_rows: Callable[[World, int], None]
    path: Callable[[World], str] | None = None

    def url(self, world: World) -> str:
        if self.path is not None:
            return self.path(world)
        if self.route.startswith("api:"):
            return API_PREFIX + api_operation_paths()[self.route[4:]][1].lstrip("/")
        return reverse(self.route)


# --- rows of each list ----------------------------------------------------------------------


def audit_events(world, n):
    for number in numbers(n):
        record_change(actor=None, action="budget.row", object_type="x", object_id=number)


def notifications(world, n):
    for number in numbers(n):
        notification_services.notify(
            world.user(CITIZEN),
            kind="task_reminder",
            params={
                "stage": "before",
                "task": f"提醒 {number}",
                "due": "2024-12-31",
                "milestone": "正文",
                "milestone_kind": "complete",
            },
            link=f"/tasks/{number}/",
            dedupe_key=f"budget:{number}",
        )


def deliveries(world, n):
    citizen = world.user(CITIZEN)
    for number in numbers(n):
        notification = Notification.objects.create(
            recipient=citizen,
            kind="task_reminder",
            params={
                "stage": "before",
                "task": f"提醒 {number}",
                "due": "2024-12-31",
                "milestone": "正文",
                "milestone_kind": "complete",
            },
            dedupe_key=f"budget:{number}",
            created_at=now(),
        )
        Delivery.objects.create(
            notification=notification,
            channel=Channel.EMAIL,
            target="citizen@example.org",
            created_at=now(),
        )


def webhooks(world, n):
    """Ten at most (the service's limit per person): 2 and then 10."""
    for number in numbers(min(n, 8)):
        notification_services.add_webhook(
            world.user(UNIT_STAFF), f"https://hooks.example.org/{number}"
        )


def subscriptions(world, n):
    citizen = world.user(CITIZEN)
    for number in numbers(n):
        subscription_services.subscribe_to_topic(citizen, f"主题{number}", actor=citizen)


def tokens(world, n):
    for number in numbers(n):
        create_token(world.user(CITIZEN), f"token {number}")


def regions(world, n):
    for number in numbers(n):
        Region.objects.create(
            code=f"64{number:04d}",
            name=f"区 {number}",
            level="county",
            parent=world.region,
        )


def units(world, n):
    for number in numbers(n):
        Unit.objects.create(
            code=f"budget-{number}",
            name=f"单位 {number}",
            kind="department",
            region=world.region,
            parent=world.unit,
            aliases=[f"别名{number}"],
        )


def people(world, n):
    for number in numbers(n):
        User.objects.create(username=f"budget_{number}", role=UNIT_STAFF, unit=world.unit)


def supervisors(world, n):
    for number in numbers(n):
        user = User.objects.create(username=f"budget_{number}", role=SUPERVISOR)
        record_change(actor=user, action="tasks.assign", object_type="x", object_id=number)


def ledger_tasks(world, n):
    for number in numbers(n):
        task = make_task(number, world.unit, is_public=True, category=f"类 {number % 3}")
        assign(task, world.unit)
        add_report(task, world.unit, dt.date(2024, 2, 1))


def documents(world, n):
    for number in numbers(n):
        result = samples.build_result(
            notice_number=f"宁政办发〔2023〕{100 + number}号", name=f"notice-{number}.txt"
        )
        ingest(result)


def the_document(world) -> Document:
    """The document whose task table the budget fills (one per test database)."""
    found = Document.objects.filter(title="预算测试文件").first()
    if found is None:
        ingest(samples.build_result())
        found = Document.objects.get(title=samples.OPINION_TITLE)
        Document.objects.filter(pk=found.pk).update(title="预算测试文件")
    return found


def document_tasks(world, n):
    document = the_document(world)
    for number in numbers(n):
        make_task(1000 + number, world.unit, document=document, start=0, end=0)


def dashboard_rows(world, n):
    ledger_tasks(world, n)
    refresh_snapshot()


def hotline_services(world, n):
    from shuzheng.hotline.models import ServiceAttribute, ServiceCategory

    for number in numbers(n):
        category = ServiceCategory.objects.create(code=f"budget-{number}", name=f"服务{number}")
        ServiceAttribute.objects.create(
            category=category, code="a", datatype="string", description="属性"
        )


def portal_datasets(world, n):
    """Published open entries of the catalog, each with a distribution (the portal's list)."""
    from shuzheng.catalog import services as catalog_services
    from shuzheng.catalog.models import ResourceCategory

    category = ResourceCategory.objects.filter(code="399001").first()
    if category is None:
        top = ResourceCategory.objects.create(code="3", name="部门", level="class", slug="b3")
        item = ResourceCategory.objects.create(
            code="399", name="预算", level="item", parent=top, slug="b399"
        )
        category = ResourceCategory.objects.create(
            code="399001", name="预算测试", level="category", parent=item, slug="b399001"
        )
    for number in numbers(n):
        resource = catalog_services.register_resource(
            actor=None,
            data=catalog_services.ResourceInput(
                title=f"预算数据集{number}",
                category=category,
                provider=world.unit,
                summary="预算测试。",
                share_type="unconditional",
                open_type="unconditional",
                update_frequency="yearly",
                fields=[catalog_services.FieldInput(name="数值", data_type="integer")],
            ),
        )
        catalog_services.add_distribution(
            actor=None,
            resource=resource,
            data=catalog_services.DistributionInput(
                title="CSV", kind="link", format="CSV", url=f"https://example.org/{number}.csv"
            ),
        )
        catalog_services.publish(
            actor=None, resource=catalog_services.submit(actor=None, resource=resource)
        )


def the_hotline_request(world):
    """A request of the world's region, dispatched to the world's unit (one per database)."""
    from shuzheng.hotline.models import DutyEntry, ServiceCategory, ServiceRequest
    from shuzheng.hotline.services import Intake, submit_request

    found = ServiceRequest.objects.filter(description="预算测试诉求").first()
    if found is None:
        category = ServiceCategory.objects.create(code="budget-request", name="预算")
        DutyEntry.objects.create(category=category, region=world.region, unit=world.unit)
        found = submit_request(
            Intake(
                service_code="budget-request",
                description="预算测试诉求",
                address_string=world.region.name,
            )
        )
    return found


def hotline_assignments(world, n):
    from shuzheng.hotline.services import dispatch_to

    request = the_hotline_request(world)
    for _number in numbers(n):
        dispatch_to(request, world.other_unit, actor=None)


def catalog_resources(world, n, *, submit=False):
    """``n`` entries of the world's unit (submitted ones for the review queue)."""
    from shuzheng.catalog import services as catalog_services
    from tests.catalog.test_permissions import make_resource

    category = the_catalog_category()
    for number in numbers(n):
        resource = make_resource(category, world.unit, f"budget-{number}")
        if submit:
            catalog_services.submit(actor=None, resource=resource)


def the_catalog_category():
    from shuzheng.catalog.models import ResourceCategory
    from tests.catalog.test_permissions import make_category

    return ResourceCategory.objects.filter(code="398001").first() or make_category()


def catalog_queue(world, n):
    catalog_resources(world, n, submit=True)


def budget_requests(world, n, *, received=None):
    """``n`` requests of the world's region dispatched to the world's unit by hand (the
    duty map names both units, so that a return goes on to the other one)."""
    from shuzheng import clock
    from shuzheng.hotline.models import DutyEntry, ServiceCategory
    from shuzheng.hotline.services import Intake, dispatch_to, submit_request

    category, created = ServiceCategory.objects.get_or_create(
        code="budget-pages", defaults={"name": "预算页面"}
    )
    if created:
        DutyEntry.objects.create(category=category, region=world.region, unit=world.unit)
        DutyEntry.objects.create(category=category, region=world.region, unit=world.other_unit)
    with clock.frozen_at(received or clock.now()):
        return [
            dispatch_to(
                submit_request(
                    Intake(
                        service_code="budget-pages",
                        description=f"预算页面诉求{number}",
                        address_string=world.region.name,
                    )
                ),
                world.unit,
                actor=None,
            )
            for number in numbers(n)
        ]


def overdue_hotline_requests(world, n):
    budget_requests(world, n, received=dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC))


def hotline_disputes(world, n):
    from shuzheng.hotline.services import lead_assignment, return_assignment

    for request in budget_requests(world, n):
        return_assignment(lead_assignment(request), reason="不属于本单位", actor=None)
        return_assignment(lead_assignment(request), reason="也不属于本单位", actor=None)


def knowledge_entries(world, n):
    """Knowledge entries of the world's unit, each citing a paragraph of a document."""
    from shuzheng.documents.models import Section
    from shuzheng.hotline.services import save_knowledge

    cited = Section.objects.filter(document=the_document(world)).first()
    for number in numbers(n):
        save_knowledge(
            None,
            question=f"预算问题{number}",
            answer="答案",
            owner=world.unit,
            review_on=dt.date(2099, 1, 1),
            sections=[cited],
            actor=None,
        )


LIST_CASES = [
    ListCase("exchange:requests", UNIT_STAFF, exchange_request_rows.consumer_requests),
    ListCase("exchange:approvals", UNIT_HEAD, exchange_request_rows.provider_requests),
    ListCase("exchange:routing", SUPERVISOR, exchange_request_rows.demands),
    ListCase("exchange:grants", UNIT_STAFF, exchange_request_rows.grants),
    ListCase("exchange:objections", UNIT_STAFF, exchange_request_rows.objections),
    ListCase("audit:list", ADMINISTRATOR, audit_events),
    ListCase("api:audit_events", ADMINISTRATOR, audit_events),
    ListCase("notifications:inbox", CITIZEN, notifications),
    ListCase("api:notifications_list", CITIZEN, notifications),
    ListCase("notifications:settings", CITIZEN, deliveries),
    ListCase("api:notifications_deliveries", CITIZEN, deliveries),
    # Webhooks are an office's (issue 9): unit staff register them, citizens do not.
    ListCase("api:notifications_webhooks_list", UNIT_STAFF, webhooks),
    ListCase("subscriptions:list", CITIZEN, subscriptions),
    ListCase("api:subscriptions_list", CITIZEN, subscriptions),
    ListCase("api:accounts_tokens_list", CITIZEN, tokens),
    ListCase("api:orgs_list_regions", ANONYMOUS, regions),
    ListCase("api:orgs_list_units", ANONYMOUS, units),
    ListCase("orgs:registry", ANONYMOUS, units),
    ListCase("orgs:people", ADMINISTRATOR, people),
    ListCase("orgs:supervisors", ADMINISTRATOR, supervisors),
    ListCase("tasks:ledger", SUPERVISOR, ledger_tasks),
    ListCase("api:tasks_list", SUPERVISOR, ledger_tasks),
    ListCase("tasks:mine", UNIT_STAFF, ledger_tasks),
    ListCase("dashboard:tasks", SUPERVISOR, dashboard_rows),
    ListCase("documents:list", ANONYMOUS, documents),
    ListCase("api:documents_list", ANONYMOUS, documents),
    ListCase(
        "api:documents_tasks",
        ANONYMOUS,
        document_tasks,
        path=lambda world: f"{API_PREFIX}documents/{the_document(world).pk}/tasks",
    ),
    ListCase("api:hotline_services", ANONYMOUS, hotline_services),
    ListCase("catalog_portal:home", ANONYMOUS, portal_datasets),
    ListCase(
        "api:hotline_assignments",
        SUPERVISOR,
        hotline_assignments,
        path=lambda world: (
            f"{API_PREFIX}hotline/requests/{the_hotline_request(world).number}/assignments"
        ),
    ),
    ListCase("catalog:mine", UNIT_STAFF, catalog_resources),
    ListCase("catalog:review", SUPERVISOR, catalog_queue),
    ListCase("api:catalog_resources_list", UNIT_STAFF, catalog_resources),
    ListCase("catalog:quality", UNIT_STAFF, quality_rows.quality_checks, quality_rows.checks_page),
    ListCase("catalog:detail", UNIT_STAFF, quality_rows.quality_runs, quality_rows.resource_page),
    ListCase(
        "api:catalog_quality_checks_list",
        UNIT_STAFF,
        quality_rows.quality_checks,
        quality_rows.checks_path,
    ),
    ListCase(
        "api:catalog_quality_runs_list",
        UNIT_STAFF,
        quality_rows.quality_runs,
        quality_rows.runs_path,
    ),
    ListCase("ecocomp:published", ANONYMOUS, ecocomp_rows.published),
    ListCase("ecocomp:rule_sets", UNIT_STAFF, ecocomp_rows.rule_sets),
    ListCase("ecocomp:sections", UNIT_STAFF, ecocomp_rows.sections),
    ListCase("ecocomp:agreements", UNIT_STAFF, ecocomp_rows.agreements),
    ListCase("api:ecocomp_allocations", ANONYMOUS, ecocomp_rows.published),
]
LIST_CASES += [
    ListCase("hotline:mine", UNIT_STAFF, budget_requests),
    ListCase("hotline:overdue", SUPERVISOR, overdue_hotline_requests),
    ListCase("hotline:disputes", SUPERVISOR, hotline_disputes),
    ListCase("hotline:knowledge", UNIT_STAFF, knowledge_entries),
    ListCase("licences:types", UNIT_HEAD, budget_licence_types),
    ListCase("licences:list", UNIT_HEAD, budget_licences),
    ListCase("licences:mine", CITIZEN, budget_licences),
    ListCase("trust:seals", ADMINISTRATOR, budget_seals),
    ListCase("api:trust_seals", ADMINISTRATOR, budget_seals),
    ListCase("trust:authority", ADMINISTRATOR, budget_revoked_seals),
    ListCase(
        "trust:seal_detail",
        ADMINISTRATOR,
        budget_seal_uses,
        path=lambda world: reverse("trust:seal_detail", args=[budget_seal(world).pk]),
    ),
]
# The exchange office's message log (issue 16, exchange-log).
LIST_CASES += [ListCase("exchange:message_log", SUPERVISOR, message_log_entries)]
# The consumer's and the provider's data pages (issue 16, point 7).
LIST_CASES += [
    ListCase("exchange:tokens", UNIT_STAFF, exchange_data_rows.tokens),
    ListCase("exchange:usage", UNIT_STAFF, exchange_data_rows.usage),
    ListCase("exchange:publish", UNIT_STAFF, exchange_data_rows.tables),
]
# The change feed's subscriptions of a unit (issue 16, point 4).
LIST_CASES += [ListCase("api:exchange_feed_subscriptions", UNIT_STAFF, feed_subscriptions)]
CASES_BY_ROUTE = {case.route: case for case in LIST_CASES}


def count_queries(client, world: World, case: ListCase) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(case.url(world))
    assert response.status_code == 200, f"{case.route}: {response.status_code}"
    return len(captured)


def sign_in(client, world: World, role: str) -> None:
    if role != ANONYMOUS:
        client.force_login(world.user(role))


def queries_for_few_and_many(client, world: World, case: ListCase) -> tuple[int, int]:
    """The queries of one request to the list with 2 rows, then with 20."""
    sign_in(client, world, case.role)
    case.make_rows(world, FEW)
    client.get(case.url(world))  # warm per-process caches (e.g. the unit resolver)
    few = count_queries(client, world, case)
    case.make_rows(world, MANY - FEW)
    return few, count_queries(client, world, case)


def assert_within_budget(route: str, few: int, many: int) -> None:
    assert route in BUDGETS, f"{route} has no budget in {BUDGETS_FILE.name}"
    budget = BUDGETS[route]
    assert many <= budget, f"{route}: {many} queries for {MANY} rows, budget {budget}"
    assert many == few, f"{route}: {few} queries for {FEW} rows but {many} for {MANY} (N+1)"


@pytest.mark.parametrize("case", LIST_CASES, ids=lambda case: case.route)
def test_the_list_stays_within_its_query_budget_for_2_rows_and_for_20(client, matrix_world, case):
    assert_within_budget(case.route, *queries_for_few_and_many(client, matrix_world, case))


def test_a_query_per_row_breaks_the_budget(client, matrix_world, monkeypatch):
    """The check catches an N+1: the deliveries without their notifications joined read
    each row's notification title with a query of its own."""

    def deliveries_without_join(user, *, problems_only=False):
        return Delivery.objects.filter(notification__recipient=user)

    monkeypatch.setattr(notification_services, "deliveries_of", deliveries_without_join)
    case = CASES_BY_ROUTE["notifications:settings"]
    few, many = queries_for_few_and_many(client, matrix_world, case)
    assert many == few + (MANY - FEW)
    with pytest.raises(AssertionError, match="N\\+1|budget"):
        assert_within_budget(case.route, few, many)


# --- finding the list routes ----------------------------------------------------------------


def _view_patterns(patterns=None, namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner in EXCLUDED_NAMESPACES:
                continue
            full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _view_patterns(entry.url_patterns, full)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def list_view_routes() -> set[str]:
    """Pages served by a generic list view (ObjectListView or any ListView)."""
    return {
        name
        for name, pattern in _view_patterns()
        if issubclass(getattr(pattern.callback, "view_class", object), MultipleObjectMixin)
    }


def page_lists_in_context(client, world: World) -> set[str]:
    """Pages without URL parameters whose context holds a paginator page or a Table, as an
    administrator sees them: hand-written list views are lists too."""
    client.force_login(world.user(ADMINISTRATOR))
    found = set()
    api_names = {name for name in page_route_names() if name.startswith("api:")}
    for name, pattern in _view_patterns():
        # regex.groups, not converters: a re_path's named groups are parameters too
        if name in api_names or pattern.pattern.regex.groups:
            continue
        response = client.get(reverse(name))
        context = response.context
        if context is None:
            continue
        contexts = context if isinstance(context, ContextList) else [context]
        values = [value for context in contexts for value in context.flatten().values()]
        if any(isinstance(value, Page | Table) for value in values):
            found.add(name)
    return found


def api_list_routes() -> set[str]:
    """API GET operations that answer an array, or a page of items (ninja's pagination)."""
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    found = set()
    for operations in schema["paths"].values():
        operation = operations.get("get")
        if operation is None:
            continue
        content = operation["responses"].get(200, operation["responses"].get("200", {}))
        body = content.get("content", {}).get("application/json", {}).get("schema", {})
        if "$ref" in body:
            body = components[body["$ref"].rsplit("/", 1)[-1]]
        paged = {"items", "count"} <= set(body.get("properties", {}))
        if body.get("type") == "array" or paged:
            found.add(f"api:{operation['operationId']}")
    return found


def test_every_list_route_has_a_budget_and_a_case(client, matrix_world):
    routes = list_view_routes() | page_lists_in_context(client, matrix_world) | api_list_routes()
    assert {"audit:list", "api:audit_events", "notifications:settings"} <= routes
    missing_budget = sorted(routes - set(BUDGETS))
    missing_case = sorted(routes - set(CASES_BY_ROUTE))
    assert not missing_budget, f"list routes without a query budget: {missing_budget}"
    assert not missing_case, f"list routes without a ListCase here: {missing_case}"
    stale = sorted(set(BUDGETS) - set(CASES_BY_ROUTE))
    assert not stale, f"budgets for routes that are no list case: {stale}"
