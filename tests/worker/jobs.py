"""Jobs used by the worker tests only (tasks must live at module level to be queued)."""

import time
from pathlib import Path

from django.tasks import task


class JobBroke(RuntimeError):
    pass


@task
def break_down() -> None:
    raise JobBroke("the job broke down")


@task
def succeed() -> str:
    return "done"


@task
def hang_the_first_time(marker: str) -> str:
    """Hangs (until its worker is killed) when ``marker`` does not exist yet, creating it."""
    path = Path(marker)
    if not path.exists():
        path.write_text("running")
        time.sleep(600)
    return "done"
