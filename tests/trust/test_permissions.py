"""Who may use the trust routes (the licences' cases: tests/trust/licence_permissions.py)."""

from tests.permissions import matrix_test
from tests.trust.licence_permissions import LICENCE_MATRIX
from tests.trust.licence_permissions import make_objects as make_licence_objects

MATRIX = [*LICENCE_MATRIX]
test_licence_matrix = matrix_test(LICENCE_MATRIX, setup=make_licence_objects)
