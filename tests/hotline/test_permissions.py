"""Who may use the hotline's routes: Open311's reads are public, its POST needs an API token
of someone who may submit requests (every signed-in role holds submit_own_requests)."""

from dataclasses import replace

from django.core.files.uploadedfile import SimpleUploadedFile

from shuzheng.accounts.permissions import UNIT_HEAD
from shuzheng.hotline.models import Dispute, DutyEntry, ServiceCategory
from shuzheng.hotline.services import (
    Intake,
    dispatch_to,
    lead_assignment,
    merge_request,
    reply,
    return_assignment,
    submit_request,
    survey_path,
)
from tests.permissions import (
    ADMINISTRATORS,
    EVERYONE,
    SIGNED_IN,
    SUPERVISORS,
    UNIT_MEMBERS,
    UNIT_READERS,
    Case,
    FieldCase,
    field_matrix_test,
    matrix_test,
)

OPEN311 = "/open311/v2"
API = "/api/v1/hotline/"


def scan():
    return SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n", content_type="application/pdf")


def make_objects(world):
    category = ServiceCategory.objects.create(code="matrix-service", name="Matrix service")
    DutyEntry.objects.create(category=category, region=world.region, unit=world.unit)
    DutyEntry.objects.create(category=category, region=world.region, unit=world.other_unit)
    intake = Intake(service_code="matrix-service", description="x", address_string="Matrix Region")
    # The duty map names the other unit first: ``foreign`` stays with it, the world's unit
    # staff may not act on it; ``request`` and ``replied`` are dispatched to their unit.
    foreign = submit_request(replace(intake, files=[scan()]))
    with_caller = replace(intake, name="MATRIX-CALLER", phone="13900001111", files=[scan()])
    request = dispatch_to(submit_request(with_caller), world.unit, actor=None)
    replied = dispatch_to(submit_request(intake), world.unit, actor=None)
    reply(replied, world.unit, text="done", actor=None)
    disputed = submit_request(intake)
    return_assignment(lead_assignment(disputed), reason="no", actor=None)
    return_assignment(lead_assignment(disputed), reason="no", actor=None)
    master = submit_request(intake)
    merged = merge_request(submit_request(intake), master, actor=None)
    return {
        "category": category,
        "merged": merged,
        "request": request,
        "foreign": foreign,
        "replied": replied,
        "dispute": Dispute.objects.get(request=disputed),
    }


def submission(world):
    return {
        "service_code": "matrix-service",
        "description": "矩阵测试",
        "address_string": "Matrix Region",
    }


MATRIX = [
    Case("open311:services", path=f"{OPEN311}/services.json", allowed=EVERYONE),
    Case("open311:service", path=f"{OPEN311}/services/matrix-service.xml", allowed=EVERYONE),
    Case("open311:requests", path=f"{OPEN311}/requests.json", allowed=EVERYONE),
    Case(
        "open311:requests",
        method="post",
        path=f"{OPEN311}/requests.json",
        data=submission,
        auth="token",
        allowed=SIGNED_IN,
    ),
    Case(
        "open311:request",
        path=lambda w: f"{OPEN311}/requests/{w.objects['request'].number}.json",
        allowed=EVERYONE,
    ),
    Case(
        "open311:token",
        path=lambda w: f"{OPEN311}/tokens/{w.objects['request'].token}.xml",
        allowed=EVERYONE,
    ),
    Case("api:hotline_services", allowed=EVERYONE),
    Case("api:hotline_submit", method="post", json=lambda w: submission(w), allowed=SIGNED_IN),
    Case(
        "api:hotline_submit",
        method="post",
        json=lambda w: submission(w),
        auth="token",
        allowed=SIGNED_IN,
        label="token",
    ),
    Case(
        "api:hotline_request",
        path=lambda w: f"{API}requests/{w.objects['request'].number}",
        allowed=EVERYONE,
    ),
    Case(
        "api:hotline_assignments",
        path=lambda w: f"{API}requests/{w.objects['request'].number}/assignments",
        allowed=UNIT_READERS,
    ),
    Case(
        "api:hotline_assignments",
        path=lambda w: f"{API}requests/{w.objects['foreign'].number}/assignments",
        allowed=SUPERVISORS,
        label="other-unit",
    ),
    Case(
        "api:hotline_accept",
        method="post",
        path=lambda w: f"{API}assignments/{lead_assignment(w.objects['request']).pk}/accept",
        allowed=UNIT_MEMBERS,
    ),
    Case(
        "api:hotline_accept",
        method="post",
        path=lambda w: f"{API}assignments/{lead_assignment(w.objects['foreign']).pk}/accept",
        allowed={"administrator"},
        label="other-unit",
    ),
    Case(
        "api:hotline_return",
        method="post",
        path=lambda w: f"{API}assignments/{lead_assignment(w.objects['request']).pk}/return",
        json={"reason": "不属于本单位职责"},
        allowed=UNIT_MEMBERS,
    ),
    Case(
        "api:hotline_reply",
        method="post",
        path=lambda w: f"{API}requests/{w.objects['request'].number}/reply",
        json={"text": "已处理"},
        allowed=UNIT_MEMBERS,
    ),
    Case(
        "api:hotline_reply",
        method="post",
        path=lambda w: f"{API}requests/{w.objects['foreign'].number}/reply",
        json={"text": "已处理"},
        allowed={"administrator"},
        label="other-unit",
    ),
    Case(
        "api:hotline_dispatch",
        method="post",
        path=lambda w: f"{API}requests/{w.objects['request'].number}/dispatch",
        json=lambda w: {"unit": w.other_unit.code},
        allowed=SUPERVISORS,
    ),
    Case(
        "api:hotline_callback",
        method="post",
        path=lambda w: f"{API}requests/{w.objects['replied'].number}/callback",
        json={"satisfaction": "satisfied"},
        allowed=SUPERVISORS,
    ),
    Case(
        "api:hotline_merge",
        method="post",
        path=lambda w: f"{API}requests/{w.objects['foreign'].number}/merge",
        json=lambda w: {"master": w.objects["request"].number},
        allowed=SUPERVISORS,
    ),
    Case(
        "api:hotline_unmerge",
        method="post",
        path=lambda w: f"{API}requests/{w.objects['merged'].number}/unmerge",
        json={"reason": "不是同一事项"},
        allowed=SUPERVISORS,
    ),
    Case(
        "api:hotline_decide_dispute",
        method="post",
        path=lambda w: f"{API}disputes/{w.objects['dispute'].pk}/decide",
        json=lambda w: {"unit": w.unit.code},
        allowed=SUPERVISORS,
    ),
]
# The pages (hotline/urls.py): citizens submit and follow requests without an account.
MATRIX += [
    Case("hotline:submit", allowed=EVERYONE),
    Case("hotline:submit", method="post", data=submission, allowed=EVERYONE),
    Case("hotline:track", allowed=EVERYONE),
    Case(
        "hotline:track_detail",
        path=lambda w: f"/hotline/track/{w.objects['request'].number}/",
        allowed=EVERYONE,
    ),
]
PAGES = "/hotline"


def page(suffix, key="request"):
    return lambda w: f"{PAGES}/requests/{w.objects[key].number}/{suffix}"


def attachment(world, key="request"):
    request = world.objects[key]
    return f"{PAGES}/requests/{request.number}/attachments/{request.attachments.get().pk}/"


def survey(world):
    return survey_path(world.objects["replied"].replies.get())


MATRIX += [
    Case("hotline:rate", path=survey, allowed=EVERYONE),
    Case(
        "hotline:rate",
        method="post",
        path=survey,
        data={"satisfaction": "satisfied"},
        allowed=EVERYONE,
    ),
    Case("hotline:mine", allowed=UNIT_READERS),
    Case("hotline:export_csv", allowed=UNIT_READERS),
    Case("hotline:export_xlsx", allowed=UNIT_READERS),
    Case("hotline:detail", path=page(""), allowed=UNIT_READERS),
    Case("hotline:detail", path=page("", "foreign"), allowed=SUPERVISORS, label="other-unit"),
    Case("hotline:attachment", path=attachment, allowed=UNIT_READERS),
    Case(
        "hotline:attachment",
        path=lambda w: attachment(w, "foreign"),
        allowed=SUPERVISORS,
        label="other-unit",
    ),
    Case("hotline:accept", method="post", path=page("accept/"), allowed=UNIT_MEMBERS),
    Case(
        "hotline:accept",
        method="post",
        path=page("accept/", "foreign"),
        allowed=ADMINISTRATORS,
        label="other-unit",
    ),
    Case(
        "hotline:return",
        method="post",
        path=page("return/"),
        data={"reason": "不属于本单位"},
        allowed=UNIT_MEMBERS,
    ),
    Case(
        "hotline:return",
        method="post",
        path=page("return/", "foreign"),
        data={"reason": "不属于本单位"},
        allowed=ADMINISTRATORS,
        label="other-unit",
    ),
    Case(
        "hotline:reply",
        method="post",
        path=page("reply/"),
        data={"text": "已处理"},
        allowed=UNIT_MEMBERS,
    ),
    Case(
        "hotline:reply",
        method="post",
        path=page("reply/", "foreign"),
        data={"text": "已处理"},
        allowed=ADMINISTRATORS,
        label="other-unit",
    ),
    Case(
        "hotline:callback",
        method="post",
        path=page("callback/", "replied"),
        data={"satisfaction": "satisfied"},
        allowed=SUPERVISORS,
    ),
    Case(
        "hotline:merge",
        method="post",
        path=page("merge/", "foreign"),
        data=lambda w: {"master": w.objects["request"].number},
        allowed=SUPERVISORS,
    ),
    Case(
        "hotline:unmerge",
        method="post",
        path=page("unmerge/", "merged"),
        data={"reason": "不是同一事项"},
        allowed=SUPERVISORS,
    ),
    Case("hotline:console", allowed=SUPERVISORS),
    Case("hotline:console", method="post", data=submission, allowed=SUPERVISORS),
    Case(
        "hotline:caller_history", method="post", data={"phone": "13900001111"}, allowed=SUPERVISORS
    ),
    Case(
        "hotline:console_hints",
        method="post",
        data={"description": "矩阵测试"},
        allowed=SUPERVISORS,
    ),
    Case("hotline:overdue", allowed=SUPERVISORS),
    Case("hotline:disputes", allowed=SUPERVISORS),
    Case(
        "hotline:decide",
        method="post",
        path=lambda w: f"{PAGES}/disputes/{w.objects['dispute'].pk}/decide/",
        data={"unit": "Matrix Unit"},
        allowed=SUPERVISORS,
    ),
    Case("hotline:rates", allowed=SUPERVISORS),
    Case("hotline:hot_spots", allowed=SUPERVISORS),
]
test_permission_matrix = matrix_test(MATRIX, setup=make_objects)

# Issue 15, point 7: the caller's personal information is the handling unit's alone; the
# supervisors see it masked, the public view never.
FIELD_MATRIX = [
    FieldCase("hotline.caller", path=page(""), marker="MATRIX-CALLER", allowed=UNIT_MEMBERS),
    FieldCase(
        "hotline.caller", path=page(""), marker="13900001111", allowed=UNIT_MEMBERS, label="phone"
    ),
    # Exports redact the caller unless the exporter's unit handles the request.
    FieldCase(
        "hotline.caller",
        path=f"{PAGES}/mine/export.csv",
        marker="MATRIX-CALLER",
        allowed=UNIT_MEMBERS,
        label="export",
    ),
    FieldCase(
        "hotline.caller",
        path=f"{PAGES}/mine/export.csv",
        marker="13900001111",
        allowed=UNIT_MEMBERS,
        label="export-phone",
    ),
    FieldCase(
        "hotline.caller",
        path=lambda w: f"{PAGES}/track/{w.objects['request'].number}/",
        marker="MATRIX-CALLER",
        allowed=(),
        label="public",
    ),
    FieldCase(
        "hotline.caller",
        path=lambda w: f"{API}requests/{w.objects['request'].number}",
        marker="MATRIX-CALLER",
        allowed=(),
        label="api",
    ),
]
test_field_matrix = field_matrix_test(FIELD_MATRIX, setup=make_objects)

# Knowledge answers (即问即答): the answers while typing are public; the knowledge base is
# read by government roles, written by the owner unit's staff and supervisors, reviewed and
# withdrawn by the owner unit's head and supervisors. Its own setup (a policy document to
# cite), so the cases are added to MATRIX after the main matrix test is built.


def make_knowledge(world):
    import datetime as dt

    from shuzheng import clock
    from shuzheng.documents.models import Document
    from shuzheng.documents.services import ingest_file
    from shuzheng.hotline.services import save_knowledge
    from tests.documents import parsed_samples as samples

    result = samples.build_result()
    ingest_file(result.text.encode(), "notice.txt", actor=None, parse=lambda data, name: result)
    cited = Document.objects.get(title=samples.OPINION_TITLE).sections.first()

    def entry(unit):
        return save_knowledge(
            None,
            question="矩阵问题",
            answer="矩阵答案",
            owner=unit,
            review_on=clock.today() + dt.timedelta(days=30),
            sections=[cited],
            actor=None,
        )

    return {
        "link": f"/documents/{cited.document_id}/#{cited.anchor}",
        "entry": entry(world.unit),
        "foreign_entry": entry(world.other_unit),
    }


def knowledge(suffix="", key="entry"):
    return lambda w: f"{PAGES}/knowledge/{w.objects[key].pk}/{suffix}"


def knowledge_data(world):
    return {
        "question": "新问题",
        "answer": "新答案",
        "sources": world.objects["link"],
        "owner": world.unit.name,
        "review_on": "2099-01-01",
    }


NEXT_REVIEW = {"review_on": "2099-01-01"}
REVIEWERS = frozenset({UNIT_HEAD, *SUPERVISORS})
KNOWLEDGE = [
    Case("hotline:answers", path=f"{PAGES}/answers/?description=矩阵问题", allowed=EVERYONE),
    Case("hotline:knowledge", allowed=UNIT_READERS),
    Case("hotline:knowledge_new", allowed=UNIT_READERS),
    Case("hotline:knowledge_new", method="post", data=knowledge_data, allowed=UNIT_READERS),
    Case("hotline:knowledge_detail", path=knowledge(), allowed=UNIT_READERS),
    Case("hotline:knowledge_edit", path=knowledge("edit/"), allowed=UNIT_READERS),
    Case(
        "hotline:knowledge_edit",
        path=knowledge("edit/", "foreign_entry"),
        allowed=SUPERVISORS,
        label="other-unit",
    ),
    Case(
        "hotline:knowledge_edit",
        method="post",
        path=knowledge("edit/"),
        data=knowledge_data,
        allowed=UNIT_READERS,
    ),
    Case(
        "hotline:knowledge_review",
        method="post",
        path=knowledge("review/"),
        data=NEXT_REVIEW,
        allowed=REVIEWERS,
    ),
    Case(
        "hotline:knowledge_review",
        method="post",
        path=knowledge("review/", "foreign_entry"),
        data=NEXT_REVIEW,
        allowed=SUPERVISORS,
        label="other-unit",
    ),
    Case(
        "hotline:knowledge_withdraw",
        method="post",
        path=knowledge("withdraw/"),
        data={"reason": "矩阵"},
        allowed=REVIEWERS,
    ),
]
test_knowledge_matrix = matrix_test(KNOWLEDGE, setup=make_knowledge)
MATRIX = [*MATRIX, *KNOWLEDGE]
