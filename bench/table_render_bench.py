"""Table render cost (issue 8, item 2): why the lists use ``shuzheng.tables.Table``.

    .venv/bin/pip install --no-deps --target var/bench/tables2 django-tables2==3.0.1
    .venv/bin/python bench/table_render_bench.py [--tables2 var/bench/tables2] [--repeat 30]

Renders one 50-row page (page 2 of 500 rows) of the audit trail's table in Chinese, with the
platform's Table (``templates/shuzheng/_table.html`` and the row template) and with the same
table in django-tables2 (a TemplateColumn for the linked time, plain columns otherwise, its
default template), and prints the median of ``--repeat`` renders. django-tables2 is not a
dependency: install it aside as above. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class Row:
    def __init__(self, number: int):
        self.pk = number
        self.at = dt.datetime(2026, 11, 1, 9, number % 60)
        self.actor_name = f"user{number}"
        self.action = "tasks.report"
        self.object_type = "tasks.keytask"
        self.object_repr = f"任务 {number}"
        self.remote_addr = "127.0.0.1"


def median_ms(render, repeat: int) -> float:
    render()  # compile and cache the templates first
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        render()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables2", default=str(ROOT / "var/bench/tables2"))
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    sys.path.insert(0, args.tables2)
    os.environ["DJANGO_SETTINGS_MODULE"] = "shuzheng.settings"

    import django
    from django.conf import settings

    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_tables2"]
    django.setup()

    import django_tables2 as tables
    from django.core.paginator import Paginator
    from django.template import engines
    from django.test import RequestFactory
    from django.utils import translation

    from shuzheng.audit.tables import EventTable

    class EventTables2(tables.Table):
        at = tables.TemplateColumn(
            '<a href="{% url \'audit:detail\' record.pk %}">{{ record.at|date:"Y-m-d H:i:s" }}</a>',
            verbose_name="When",
        )
        actor_name = tables.Column(verbose_name="Actor")
        action = tables.Column(verbose_name="Action")
        object_type = tables.Column(verbose_name="Object type")
        object_repr = tables.Column(verbose_name="Object")
        remote_addr = tables.Column(verbose_name="IP address")

        class Meta:
            orderable = False

    rows = [Row(number) for number in range(500)]
    request = RequestFactory().get("/audit/", {"action": "tasks.report"})
    engine = engines["django"]
    ours = engine.from_string('{% include "shuzheng/_table.html" %}')
    theirs = engine.from_string("{% load django_tables2 %}{% render_table table %}")

    def render_ours():
        page = Paginator(rows, 50).get_page(2)
        table = EventTable(page.object_list, page=page, query="action=tasks.report")
        return ours.render({"table": table}, request)

    def render_theirs():
        table = EventTables2(rows)
        table.paginate(page=2, per_page=50)
        return theirs.render({"table": table, "request": request}, request)

    with translation.override("zh-hans"):
        mine, other = median_ms(render_ours, args.repeat), median_ms(render_theirs, args.repeat)
    print("| table | one 50-row page, median |")
    print("| --- | --- |")
    print(f"| shuzheng.tables.Table | {mine:.1f} ms |")
    print(f"| django-tables2 3.0.1 | {other:.1f} ms ({other / mine:.1f}×) |")


if __name__ == "__main__":
    main()
