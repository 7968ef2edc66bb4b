"""Who may use the hotline's routes: Open311's reads are public, its POST needs an API token
of someone who may submit requests (every signed-in role holds submit_own_requests)."""

from shuzheng.hotline.models import DutyEntry, ServiceCategory
from shuzheng.hotline.services import Intake, submit_request
from tests.permissions import EVERYONE, SIGNED_IN, Case, matrix_test

OPEN311 = "/open311/v2"


def make_objects(world):
    category = ServiceCategory.objects.create(code="matrix-service", name="Matrix service")
    DutyEntry.objects.create(category=category, region=world.region, unit=world.unit)
    request = submit_request(
        Intake(service_code="matrix-service", description="x", address_string="Matrix Region")
    )
    return {"category": category, "request": request}


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
]
test_permission_matrix = matrix_test(MATRIX, setup=make_objects)
