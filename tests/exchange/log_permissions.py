"""Who may use the exchange office's pages (issue 16, point 7): the exchange office
(``oversee_exchange``: supervisors and administrators) alone — the message log names every
consumer's calls, so units and the public see none of it."""

from tests.permissions import SUPERVISORS, Case, matrix_test

LOG_MATRIX = [
    Case("exchange:office", allowed=SUPERVISORS),
    Case("exchange:message_log", allowed=SUPERVISORS),
    Case("exchange:log_verification", allowed=SUPERVISORS),
    Case("exchange:log_verify_now", method="post", allowed=SUPERVISORS),
    Case("exchange:log_seal_now", method="post", allowed=SUPERVISORS),
]
test_log_matrix = matrix_test(LOG_MATRIX)
