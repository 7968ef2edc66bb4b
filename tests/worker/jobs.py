"""Jobs used by the worker tests only (tasks must live at module level to be queued)."""

from django.tasks import task


class JobBroke(RuntimeError):
    pass


@task
def break_down() -> None:
    raise JobBroke("the job broke down")


@task
def succeed() -> str:
    return "done"
