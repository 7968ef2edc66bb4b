"""Who may use the trust routes (the licences' cases: tests/trust/licence_permissions.py)."""

from tests.permissions import EVERYONE, Case, matrix_test
from tests.trust.licence_permissions import LICENCE_MATRIX
from tests.trust.licence_permissions import make_objects as make_licence_objects

PUBLIC_MATRIX = [
    Case("trust:verify", allowed=EVERYONE),
    Case("trust:verify", method="post", data={"number": "0123456789ABCDEF0123"}, allowed=EVERYONE),
    Case("trust:root_json", allowed=EVERYONE),
    Case("trust:crl_json", allowed=EVERYONE),
]
MATRIX = [*LICENCE_MATRIX, *PUBLIC_MATRIX]
test_public_matrix = matrix_test(PUBLIC_MATRIX)
test_licence_matrix = matrix_test(LICENCE_MATRIX, setup=make_licence_objects)
