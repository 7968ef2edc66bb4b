"""The exchange's permission matrix (tests/permissions.py): each part declares its cases in
its own module; ``MATRIX`` gathers them for tests/test_permission_coverage.py."""

from tests.exchange.data_page_permissions import (  # noqa: F401
    DATA_PAGE_MATRIX,
    test_data_page_matrix,
)
from tests.exchange.data_permissions import DATA_MATRIX, test_data_matrix  # noqa: F401
from tests.exchange.feed_permissions import FEED_MATRIX, test_feed_matrix  # noqa: F401
from tests.exchange.log_permissions import LOG_MATRIX, test_log_matrix  # noqa: F401

MATRIX = [*LOG_MATRIX, *FEED_MATRIX, *DATA_MATRIX, *DATA_PAGE_MATRIX]
