"""axe-core on every page of the platform (issue 14: "no serious or critical violation on
every page, including the new ones").

The pages are walked from the URL configuration, not listed by hand: a page without
arguments is found by itself; a page with arguments needs an entry in ``PAGES_WITH_ARGUMENTS``
(how to reach one of its objects) or in ``NOT_PAGES`` (why it is no page), and the test fails
naming a route in neither. Every page is opened signed in as an administrator (who reaches
them all), in Chinese, on the sample gazette with its key tasks and assessment rules.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.audit.models import AuditEvent
from shuzheng.catalog.models import DataResource
from shuzheng.catalog.samples import load_sample_catalog
from shuzheng.dashboard.samples import sample_rules_data
from shuzheng.dashboard.services import save_rules
from shuzheng.documents.models import Document, IngestJob
from shuzheng.documents.services import ingest_file
from shuzheng.orgs.models import Unit
from shuzheng.orgs.services import load_sample_registry
from shuzheng.subscriptions.services import subscribe_to_topic
from shuzheng.tasks.models import KeyTask
from shuzheng.tasks.services.supervision import assign
from tests.browser.conftest import axe_violations
from tests.ecocomp.pages import ECOCOMP_NOT_PAGES, ECOCOMP_PAGES, ecocomp_objects
from tests.test_chinese_punctuation import half_width_between_chinese

pytestmark = [
    pytest.mark.browser,
    pytest.mark.presentation,
    pytest.mark.django_db(transaction=True),
]

SAMPLE = Path(settings.BASE_DIR) / "data" / "samples" / "ningxia-gazette-2023-10.txt"
PASSWORD = "Axe-every-page-2031!"
#: Namespaces that are not the platform's pages: Django's admin (its own markup) and the API.
SKIPPED_NAMESPACES = {"admin", "api"}

PAGES_WITH_ARGUMENTS = {
    "orgs:unit_detail": lambda w: reverse("orgs:unit_detail", args=[w["unit"].code]),
    "orgs:person_detail": lambda w: reverse("orgs:person_detail", args=[w["staff"].pk]),
    "documents:detail": lambda w: reverse("documents:detail", args=[w["document"].pk]),
    "documents:print": lambda w: reverse("documents:print", args=[w["document"].pk]),
    "documents:ingest_job": lambda w: reverse("documents:ingest_job", args=[w["job"].pk]),
    "tasks:detail": lambda w: reverse("tasks:detail", args=[w["task"].pk]),
    "audit:detail": lambda w: reverse("audit:detail", args=[w["event"].pk]),
    "dashboard:assessment": lambda w: reverse("dashboard:assessment", args=[2023]),
    "dashboard:scorecard": lambda w: w["scorecard"],
    "subscriptions:edit": lambda w: reverse("subscriptions:edit", args=[w["subscription"].pk]),
    "hotline:track_detail": lambda w: reverse("hotline:track_detail", args=[w["hotline"].number]),
    "catalog:detail": lambda w: reverse("catalog:detail", args=[w["resource"].pk]),
    "catalog:edit": lambda w: reverse("catalog:edit", args=[w["resource"].pk]),
    "catalog:versions": lambda w: reverse("catalog:versions", args=[w["resource"].pk]),
    **ECOCOMP_PAGES,
    "hotline:detail": lambda w: reverse("hotline:detail", args=[w["hotline"].number]),
    "hotline:rate": lambda w: w["hotline_survey"],
    "hotline:knowledge_detail": lambda w: reverse(
        "hotline:knowledge_detail", args=[w["hotline_knowledge"].pk]
    ),
    "hotline:knowledge_edit": lambda w: reverse(
        "hotline:knowledge_edit", args=[w["hotline_knowledge"].pk]
    ),
    "licences:type_detail": lambda w: reverse("licences:type_detail", args=[w["licence_type"].pk]),
    "licences:type_edit": lambda w: reverse("licences:type_edit", args=[w["licence_type"].pk]),
    "licences:issue": lambda w: reverse("licences:issue", args=[w["licence_type"].pk]),
    "licences:bulk": lambda w: reverse("licences:bulk", args=[w["licence_type"].pk]),
    "licences:detail": lambda w: reverse("licences:detail", args=[w["licence"].number]),
    "catalog_portal:dataset": lambda w: portal_dataset_path(),
    "catalog:quality": lambda w: reverse("catalog:quality", args=[w["resource"].pk]),
    "catalog:quality_edit": lambda w: reverse(
        "catalog:quality_edit", args=[w["resource"].pk, w["quality_check"].pk]
    ),
    "trust:seal_detail": lambda w: reverse("trust:seal_detail", args=[w["licence_type"].seal.pk]),
    "catalog_portal:distribution": lambda w: portal_distribution_path(),
    "catalog:import_job": lambda w: catalog_import_job_path(w["admin"]),
    "exchange:request": lambda w: reverse("exchange:request", args=[exchange_objects(w)[0].pk]),
    "exchange:objection": lambda w: reverse("exchange:objection", args=[exchange_objects(w)[1].pk]),
    "exchange:table": lambda w: reverse("exchange:table", args=[exchange_data(w)[0].pk]),
    "exchange:publish_resource": lambda w: reverse(
        "exchange:publish_resource", args=[exchange_data(w)[1].pk]
    ),
    "exchange:feed_subscription": lambda w: reverse(
        "exchange:feed_subscription", args=[feed_subscription(w).pk]
    ),
}


def feed_subscription(world):
    """A webhook subscription of the world's unit to another unit's table, with a delivered
    batch and a dead letter (made once)."""
    if "feed" not in world:
        from shuzheng import clock
        from shuzheng.exchange import feed_services
        from shuzheng.exchange.feed_models import FeedDelivery
        from tests.exchange.feed_helpers import grant, make_table

        provider = Unit.objects.exclude(pk=world["unit"].pk).order_by("pk").first()
        table = make_table(provider, name="axe-feed")
        grant(world["unit"], table)
        subscription, _secret = feed_services.subscribe(
            consumer=world["unit"],
            table=table,
            channel="push",
            webhook_url="https://example.org/feed",
        )
        now = clock.now()
        for status, kind, delay in (("sent", "", 420), ("dead", "timeout", None)):
            FeedDelivery.objects.create(
                subscription=subscription,
                channel="push",
                first_position=1,
                last_position=1,
                status=status,
                error_kind=kind,
                oldest_written_at=now,
                newest_written_at=now,
                created_at=now,
                delivered_at=now if delay else None,
                max_delay_ms=delay,
                min_delay_ms=delay,
            )
        world["feed"] = subscription
    return world["feed"]


def exchange_objects(world):
    """A submitted data request and an open objection of the world's unit (made once)."""
    if "exchange" not in world:
        from tests.exchange_requests.factories import make_resource
        from tests.exchange_requests.world import _request, objection

        resource = make_resource(world["unit"])
        world["exchange"] = (
            _request(world["unit"], world["unit"], resource, "submitted"),
            objection(resource, world["unit"]),
        )
    return world["exchange"]


def exchange_data(world):
    """A published table of the world's unit with rows and its sync history, and a resource
    of the unit not yet published (made once)."""
    if "exchange_data" not in world:
        from shuzheng.exchange import table_services
        from tests.exchange_requests.factories import make_resource

        table = table_services.publish_table(make_resource(world["unit"]), primary_key=["id"])
        table_services.apply_row_changes(
            table,
            [{"id": "1", "name": "示例一", "county": "兴庆区"}, {"id": "2", "name": "示例二"}],
        )
        world["exchange_data"] = (table, make_resource(world["unit"]))
    return world["exchange_data"]


#: Routes with arguments that answer no page: form posts and downloads.
NOT_PAGES = {
    "accounts:token_revoke": "POST action",
    "orgs:person_role": "POST action",
    "orgs:person_active": "POST action",
    "orgs:person_password": "POST action",
    "documents:original": "download of the original file",
    "documents:topics": "POST action (the document page's 主题分类 form)",
    "tasks:assign": "POST action",
    "tasks:undertake": "POST action",
    "tasks:report": "POST action",
    "tasks:claim": "POST action",
    "tasks:close": "POST action",
    "tasks:reject": "POST action",
    "tasks:decompose": "POST action",
    "tasks:settings": "POST action",
    "tasks:evidence": "download of an evidence file",
    "tasks:slip": "download of a supervision slip (PDF)",
    "tasks:comment": "POST action",
    "tasks:watch": "POST action",
    "tasks:request_extension": "POST action",
    "tasks:decide_extension": "POST action",
    "tasks:delete_filter": "POST action",
    "notifications:read": "POST action",
    "notifications:webhook_test": "POST action",
    "notifications:webhook_active": "POST action",
    "notifications:webhook_delete": "POST action",
    "dashboard:start_rules": "POST action",
    "dashboard:export_xlsx": "download (Excel)",
    "dashboard:export_pdf": "download (PDF)",
    "subscriptions:pause": "POST action",
    "subscriptions:delete": "POST action",
    "open311:services": "Open311 GeoReport v2 (XML or JSON)",
    "open311:service": "Open311 GeoReport v2 (XML or JSON)",
    "open311:requests": "Open311 GeoReport v2 (XML or JSON)",
    "open311:request": "Open311 GeoReport v2 (XML or JSON)",
    "open311:token": "Open311 GeoReport v2 (XML or JSON)",
    "catalog_dcat:catalog": "DCAT-AP IRI (303 to an RDF document)",
    "catalog_dcat:catalog_document": "DCAT-AP (Turtle, RDF/XML or JSON-LD)",
    "catalog_dcat:dataset": "DCAT-AP IRI (303 to an RDF document)",
    "catalog_dcat:dataset_document": "DCAT-AP (Turtle, RDF/XML or JSON-LD)",
    "catalog_dcat:download": "file download",
    "ckan:unknown": "CKAN Action API (JSON): an unknown action's 400",
    "catalog:submit": "POST action",
    "catalog:publish": "POST action",
    "catalog:return": "POST action",
    "catalog:withdraw": "POST action",
    "catalog:add_distribution": "POST action",
    "catalog:download_distribution": "file download",
    "catalog:import_errors": "download (Excel)",
    **ECOCOMP_NOT_PAGES,
    "hotline:accept": "POST action",
    "hotline:merge": "POST action",
    "hotline:unmerge": "POST action",
    "exchange:submit_request": "POST action",
    "exchange:approve_request": "POST action",
    "exchange:refuse_request": "POST action",
    "exchange:return_request": "POST action",
    "exchange:route_request": "POST action",
    "exchange:revoke_grant": "POST action",
    "exchange:answer_objection": "POST action",
    "exchange:objection_evidence": "download of an objection's evidence",
    "exchange:revoke_token": "POST action",
    "exchange:upload_rows": "POST action (answers the table's page, checked there)",
    "exchange:feed_active": "POST action",
    "exchange:feed_redeliver": "POST action",
    "hotline:return": "POST action",
    "hotline:reply": "POST action",
    "hotline:callback": "POST action",
    "hotline:decide": "POST action",
    "hotline:attachment": "download (image or PDF)",
    "hotline:answers": "htmx fragment of the submission form (its section is checked there)",
    "hotline:knowledge_review": "POST action",
    "hotline:knowledge_withdraw": "POST action",
    "licences:template": "download (Excel)",
    "licences:status": "POST action",
    "licences:pdf": "download (PDF)",
    "trust:root_json": "download (JSON)",
    "trust:crl_json": "download (JSON)",
    "trust:seal_revoke": "POST action",
    "trust:seal_image": "download (PNG)",
    "catalog:quality_run": "POST action",
    "catalog:quality_delete": "POST action",
    "catalog:quality_failing_rows": "download (CSV)",
    "tasks:slip_sealed": "POST action (sealed PDF download)",
    "dashboard:export_sealed_pdf": "POST action (sealed PDF download)",
}


def routes(patterns=None, namespace=""):
    """``(name, takes_arguments)`` of every named route outside the skipped namespaces."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner in SKIPPED_NAMESPACES:
                continue
            full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from routes(entry.url_patterns, full)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, bool(entry.pattern.regex.groupindex)


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_sample_registry()
    ingest_file(SAMPLE.read_bytes(), SAMPLE.name, actor=None)
    admin = User.objects.create_user("axe_admin", password=PASSWORD, role=Role.ADMINISTRATOR)
    save_rules(sample_rules_data(), actor=admin)
    unit = Unit.objects.get(name="银川市人民政府")
    # An assigned task due in 2023, so that the 2023 assessment ranks a unit with a score card.
    task = KeyTask.objects.filter(form="table", milestones__year=2023).order_by("pk").first()
    assign(task, unit, actor=admin)
    staff = User.objects.create_user("axe_staff", role=Role.UNIT_STAFF, unit=unit)
    job = IngestJob.objects.create(
        filename="公报.txt", size=10, status="done", language="zh-hans", requested_by=admin
    )
    return {
        "scorecard": first_scorecard(admin),
        "admin": admin,
        "unit": unit,
        "staff": staff,
        "document": Document.objects.order_by("pk").first(),
        "task": task,
        "job": job,
        "event": AuditEvent.objects.order_by("pk").first(),
        "subscription": subscribe_to_topic(admin, "数据共享", actor=admin),
        "hotline": hotline_request(),
        "resource": (resource := sample_resource()),
        "quality_check": completeness_check(resource),
        "ecocomp": ecocomp_objects(),
        "hotline_survey": hotline_survey(),
        "hotline_knowledge": hotline_knowledge(),
        **sample_licence(unit),
    }


def sample_licence(unit) -> dict:
    """A licence type of ``unit`` and one licence of it."""
    from shuzheng.trust.licence_services import issue_licence
    from tests.trust.licence_fixtures import draft, make_type

    licence_type = make_type(unit)
    return {"licence_type": licence_type, "licence": issue_licence(licence_type, draft(), by=None)}


def hotline_request():
    """A request of the sample hotline catalog, dispatched to 兴庆区人社局."""
    from shuzheng.hotline.services import Intake, load_sample_catalog, submit_request

    load_sample_catalog()
    return submit_request(
        Intake(service_code="wage-arrears", description="拖欠工资", address_string="银川市兴庆区")
    )


def sample_resource():
    """A resource of the sample catalog with items, a distribution and a workflow history."""
    load_sample_catalog()
    return DataResource.objects.filter(state="published").order_by("pk").first()


def hotline_knowledge():
    """A sample knowledge entry (it cites a paragraph of the sample gazette)."""
    from shuzheng.hotline.models import KnowledgeEntry
    from shuzheng.hotline.samples import load_sample_hotline

    load_sample_hotline()
    return KnowledgeEntry.objects.order_by("pk").first()


def hotline_survey() -> str:
    """The survey link of a replied request (the callback page)."""
    from shuzheng.hotline.services import lead_assignment, reply, survey_path

    request = hotline_request()
    return survey_path(reply(request, lead_assignment(request).unit, text="已处理", actor=None))


def completeness_check(resource):
    """A declared completeness check on the first information item of ``resource``, and one
    finished run of it over the sample CSV (the resource page's results, trend and download)."""
    from shuzheng.catalog import quality_services

    item = resource.fields.order_by("pk").first()
    data = quality_services.CheckInput(kind="completeness", column=item.column or item.name)
    check = quality_services.create_check(actor=None, resource=resource, data=data)
    run = quality_services.queue_run(actor=None, resource=resource)
    quality_services.run_quality_job(run.pk)
    return check


def portal_dataset_path() -> str:
    """The portal's page of an open dataset of the sample catalog (the world loads it)."""
    dataset = DataResource.objects.open_to_public().filter(open_type="unconditional").first()
    return reverse("catalog_portal:dataset", args=[dataset.pk])


def portal_distribution_path() -> str:
    """The portal's page of an open dataset's CSV file, with its preview."""
    open_data = DataResource.objects.open_to_public().filter(open_type="unconditional")
    dataset = open_data.filter(distributions__kind="file").first()
    distribution = dataset.distributions.filter(kind="file").first()
    return reverse("catalog_portal:distribution", args=[dataset.pk, distribution.pk])


def catalog_import_job_path(admin) -> str:
    """A finished catalog import's page, its report with a problem by row and column."""
    from shuzheng import clock
    from shuzheng.catalog.models import ImportJob

    problem = {
        "code": "required",
        "row": 3,
        "column": "T",
        "header": "信息项名称",
        "params": {},
    }
    job = ImportJob.objects.create(
        original_name="目录.xlsx",
        created_at=clock.now(),
        created_by=admin,
        state="done",
        phase="done",
        total_rows=2,
        done_rows=2,
        errors=[problem],
    )
    return reverse("catalog:import_job", args=[job.pk])


def first_scorecard(admin) -> str:
    """The 2023 score card of the first unit the 2023 assessment lists."""
    client = Client()
    client.force_login(admin)
    html = client.get(reverse("dashboard:assessment", args=[2023])).content.decode()
    found = re.search(r'href="(/dashboard/assessment/2023/units/[^"/]+/)"', html)
    assert found, "the 2023 assessment lists no unit"
    return found.group(1)


def page_paths(world) -> list[str]:
    """The path of every page: routes without arguments that answer HTML with a <main> to a
    GET, and the routes of ``PAGES_WITH_ARGUMENTS``."""
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(world["admin"])
    paths, unknown = [], []
    for name, takes_arguments in sorted(set(routes())):
        if name in NOT_PAGES:
            continue
        if takes_arguments:
            if name not in PAGES_WITH_ARGUMENTS:
                unknown.append(name)
                continue
            paths.append(PAGES_WITH_ARGUMENTS[name](world))
            continue
        path = reverse(name)
        response = client.get(path)
        if response.status_code == 405:  # a form's POST target
            continue
        html = response.get("Content-Type", "").startswith("text/html")
        if response.status_code == 200 and html and b"<main" in response.content:
            paths.append(path)
    assert unknown == [], f"add these routes to PAGES_WITH_ARGUMENTS or NOT_PAGES: {unknown}"
    return paths


def test_no_page_has_a_serious_accessibility_violation(page, world):
    paths = page_paths(world)
    assert {"/", "/orgs/people/", "/tasks/", "/dashboard/"} <= set(paths)
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("axe_admin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    found, punctuation = {}, {}
    for path in paths:
        response = page.goto(path)
        assert response.status < 400, (path, response.status)
        violations = axe_violations(page)
        if violations:
            found[path] = [(v["id"], v["help"], len(v["nodes"])) for v in violations]
        # Chinese punctuation in what each page shows, not only in the catalogue (issue 14).
        if hits := half_width_between_chinese(page.locator("main").inner_text()):
            punctuation[path] = hits
    assert found == {}, found
    assert punctuation == {}, "\n".join(f"{path}: {hits}" for path, hits in punctuation.items())
