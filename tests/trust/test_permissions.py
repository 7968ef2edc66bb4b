"""Who may use the trust routes (the licences' cases: tests/trust/licence_permissions.py)."""

from shuzheng.trust.choices import SealKind
from shuzheng.trust.services import create_seal, sign
from tests.permissions import ADMINISTRATORS, EVERYONE, Case, matrix_test
from tests.trust.licence_permissions import LICENCE_MATRIX
from tests.trust.licence_permissions import make_objects as make_licence_objects

PUBLIC_MATRIX = [
    Case("trust:verify", allowed=EVERYONE),
    Case("trust:verify", method="post", data={"number": "0123456789ABCDEF0123"}, allowed=EVERYONE),
    Case("trust:root_json", allowed=EVERYONE),
    Case("trust:crl_json", allowed=EVERYONE),
    Case(
        "api:trust_verify",
        method="post",
        path="/api/v1/trust/verify",
        data={"number": "0123456789ABCDEF0123"},
        allowed=EVERYONE,
        auth="token",
    ),
    Case(
        "api:trust_verify",
        method="post",
        path="/api/v1/trust/verify",
        data={"number": "0123456789ABCDEF0123"},
        allowed=EVERYONE,
    ),
    Case(
        "api:trust_signature",
        path=lambda world: f"/api/v1/trust/signatures/{world.objects['signature'].number}",
        allowed=EVERYONE,
    ),
    Case("api:trust_root", path="/api/v1/trust/root", allowed=EVERYONE),
    Case("api:trust_crl", path="/api/v1/trust/crl", allowed=EVERYONE),
]


def make_signature(world):
    seal = create_seal(world.unit, SealKind.OFFICIAL, world.unit.name, by=None)
    return {"signature": sign(seal, b"x", by=None, subject_kind="test", subject_ref="t")}


def make_seal(world):
    return {"seal": create_seal(world.unit, SealKind.OFFICIAL, world.unit.name, by=None)}


def _seal(suffix=""):
    return lambda world: f"/trust/seals/{world.objects['seal'].pk}/{suffix}"


SEAL_MATRIX = [
    Case("trust:seals", allowed=ADMINISTRATORS),
    Case("trust:seal_create", allowed=ADMINISTRATORS),
    Case(
        "trust:seal_create",
        method="post",
        data=lambda world: {"unit": world.unit.name, "kind": "business", "name": "测试专用章"},
        allowed=ADMINISTRATORS,
    ),
    Case("trust:seal_detail", path=_seal(), allowed=ADMINISTRATORS),
    Case("trust:seal_image", path=_seal("image.png"), allowed=ADMINISTRATORS),
    Case(
        "trust:seal_revoke",
        method="post",
        path=_seal("revoke/"),
        data={"reason": "印章遗失"},
        allowed=ADMINISTRATORS,
    ),
    Case("trust:authority", allowed=ADMINISTRATORS),
    Case("api:trust_seals", path="/api/v1/trust/seals", allowed=ADMINISTRATORS, auth="token"),
]
MATRIX = [*LICENCE_MATRIX, *PUBLIC_MATRIX, *SEAL_MATRIX]
test_public_matrix = matrix_test(PUBLIC_MATRIX, setup=make_signature)
test_seal_matrix = matrix_test(SEAL_MATRIX, setup=make_seal)
test_licence_matrix = matrix_test(LICENCE_MATRIX, setup=make_licence_objects)
