"""The no-op jobs of bench/worker_bench.py, importable by the worker processes it starts."""

import os

from django.tasks import task


@task
def noop(i: int) -> int:
    return i


def procrastinate_app():
    """procrastinate's app on the benchmark's PostgreSQL database (only with --procrastinate;
    procrastinate is not a dependency of the platform)."""
    from procrastinate import App, PsycopgConnector

    app = App(connector=PsycopgConnector(conninfo=os.environ["BENCH_PROCRASTINATE_CONNINFO"]))

    @app.task(name="noop")
    def noop_job(i: int) -> int:
        return i

    return app


app = procrastinate_app() if "BENCH_PROCRASTINATE_CONNINFO" in os.environ else None
