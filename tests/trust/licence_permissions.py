"""Who may use the licence routes: issuing is the issuing unit head's (who holds the unit's
sealing right) and the administrator's; "my licences" is everyone's who signs in; a licence's
PDF is its holder's and its issuing unit's."""

from shuzheng.accounts.permissions import ADMINISTRATOR, CITIZEN, UNIT_HEAD
from shuzheng.trust import licence_services
from tests.permissions import SIGNED_IN, Case
from tests.trust.licence_fixtures import IDENTITY, draft, make_type

ISSUERS = frozenset({UNIT_HEAD, ADMINISTRATOR})
API = "/api/v1/trust/licences"


def make_objects(world):
    licence_type = make_type(world.unit)
    licence = licence_services.issue_licence(
        licence_type, draft("张三", IDENTITY, "identity_card"), by=None
    )
    licence_services.bind_holder(world.user(CITIZEN), "identity_card", IDENTITY, by=None)
    return {"type": licence_type, "licence": licence}


def _type(suffix=""):
    return lambda world: f"/trust/licences/types/{world.objects['type'].pk}/{suffix}"


def _licence(suffix=""):
    return lambda world: f"/trust/licences/{world.objects['licence'].number}/{suffix}"


def _new_licence(world):
    return {
        "licence_type": world.objects["type"].code,
        "holder_name": "宁夏清真餐饮有限公司",
        "holder_kind": "credit_code",
        "holder_code": "91350100M000100Y43",
        "face": {"business_name": "宁夏清真餐饮有限公司", "premises": "银川市"},
    }


LICENCE_MATRIX = [
    Case("licences:list", allowed=ISSUERS),
    Case("licences:mine", allowed=SIGNED_IN),
    Case("licences:types", allowed=ISSUERS),
    Case("licences:type_create", allowed=ISSUERS),
    Case("licences:type_detail", path=_type(), allowed=ISSUERS),
    Case("licences:type_edit", path=_type("edit/"), allowed=ISSUERS),
    Case("licences:issue", path=_type("issue/"), allowed=ISSUERS),
    Case("licences:bulk", path=_type("bulk/"), allowed=ISSUERS),
    Case("licences:template", path=_type("template.xlsx"), allowed=ISSUERS),
    Case("licences:detail", path=_licence(), allowed=ISSUERS),
    Case(
        "licences:status",
        method="post",
        path=_licence("status/"),
        data={"status": "suspended", "reason": "停业整顿"},
        allowed=ISSUERS,
    ),
    Case("licences:pdf", path=_licence("pdf/"), allowed=ISSUERS | {CITIZEN}),
    Case(
        "api:trust_issue_licence",
        method="post",
        path=API,
        json=_new_licence,
        allowed=ISSUERS,
        auth="token",
    ),
    Case(
        "api:trust_licence",
        path=lambda world: f"{API}/{world.objects['licence'].number}",
        allowed=ISSUERS,
        auth="token",
    ),
]
