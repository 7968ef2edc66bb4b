"""When to try a failed delivery again, and when to give up (issue 4 item 4, issue 5 item 4).

Pure Python: the worker asks :meth:`RetryPolicy.next_attempt_at` after every failed attempt.
The default schedule waits 1 min, 5 min, 30 min, 2 h and 12 h between attempts, so a
receiver that is down over a night still gets its messages next morning, and a delivery is
declared dead after six attempts (about 15 hours) instead of retrying for ever.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

#: Seconds to wait after the 1st, 2nd, … failed attempt.
DEFAULT_DELAYS: tuple[int, ...] = (60, 5 * 60, 30 * 60, 2 * 3600, 12 * 3600)
#: Attempts in all (the first one included) before a delivery is dead.
DEFAULT_MAX_ATTEMPTS = len(DEFAULT_DELAYS) + 1


@dataclass(frozen=True)
class RetryPolicy:
    delays: tuple[int, ...] = DEFAULT_DELAYS
    max_attempts: int = DEFAULT_MAX_ATTEMPTS

    def __post_init__(self):
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if not self.delays or any(delay <= 0 for delay in self.delays):
            raise ValueError("retry delays must be positive numbers of seconds")
        object.__setattr__(self, "delays", tuple(int(delay) for delay in self.delays))

    @classmethod
    def from_settings(cls, delays: Sequence[int] | None, max_attempts: int | None) -> RetryPolicy:
        return cls(
            delays=tuple(delays) if delays else DEFAULT_DELAYS,
            max_attempts=max_attempts or DEFAULT_MAX_ATTEMPTS,
        )

    def delay_after(self, attempts_made: int) -> dt.timedelta:
        """The wait after ``attempts_made`` failed attempts; past the end of the schedule
        the last delay repeats (a schedule shorter than ``max_attempts`` is allowed)."""
        if attempts_made < 1:
            raise ValueError("no attempt was made yet")
        index = min(attempts_made, len(self.delays)) - 1
        return dt.timedelta(seconds=self.delays[index])

    def gives_up_after(self, attempts_made: int) -> bool:
        return attempts_made >= self.max_attempts

    def next_attempt_at(self, attempts_made: int, now: dt.datetime) -> dt.datetime | None:
        """When to try again after ``attempts_made`` failed attempts; None means dead."""
        if self.gives_up_after(attempts_made):
            return None
        return now + self.delay_after(attempts_made)
