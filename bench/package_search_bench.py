"""CKAN ``package_search`` at 100,000 datasets (issue 11, point 6): the action as shipped
(through the portal's one search path, the tantivy index) against a plain ORM peer doing
the same work, in the same process, queries interleaved.

    .venv/bin/python bench/package_search_bench.py [--datasets 100000] [--queries 300]
        [--postgres postgres://postgres@/shuzheng_bench?host=/tmp/pgdev | --no-postgres]

**Catalog.** The sample catalog's classification and the Ningxia registry's units; then
``--datasets`` entries inserted in bulk (deterministic, seed 20231008): a title of a place, a
subject and a kind (``银川市养老机构名录``), a summary of 3–6 subject words, 2–4 keywords,
3–6 information items, 1–2 distributions (CSV, XLSX, JSON, API, XML), a frequency, a domain;
90 % published general data open unconditionally or conditionally, the rest spread over
not open (不予开放), important and core data (never indexed) and drafts. The entries' stored
package texts are then written (``catalog.packages.refresh_all``: what the services write
entry by entry, here for the bulk load), the index built as ``shuzheng reindex`` does
(``search.sources.reindex``: the entries' search rows) and copied to the engine
(``search.services.apply_outbox``), each timed.

**Queries** (``--queries``), as CKAN clients send them: a word; a word with the portal's four
facets; two words with ``fq=groups:…``; ``fq=organization:…`` with facets; ``fq`` by format
and frequency (``res_format:CSV AND update_frequency:(daily OR weekly)``); no ``q`` sorted
``metadata_modified desc`` at a harvester's ``start``; by ``name asc``; ``open_type`` and
``res_format`` facets of everything; each with ``rows`` 10 (the harvester 100 once in ten).

**Ways.** Both are called through ``ckan_api.dispatch`` (the envelope, parameter parsing,
serialization of the page's packages and the JSON answer are the same code):

* ``package_search``: the action as shipped;
* ``ORM peer``: the same action with the search step replaced by the database: the public
  entries (``open_to_public``), each word ``icontains`` in the title, summary or an
  information item's name, the ``fq`` filters as joins (``distributions__format``, the
  class's categories…), ``COUNT``, one ``GROUP BY`` per facet, ordered by ``modified_at`` or
  ``name`` (no relevance), the page's ids.

The totals of both must agree on every query without ``q`` (the same filters on the same
rows; the bench **fails**, exit status 1, when they do not); with ``q`` they differ by design
(the engine matches the segmenter's words, the peer substrings) and the agreement is
printed. Printed per database: insert and index times, p50/p95/p99 of both (and the
action's p95 over the ``rows=10`` queries alone), peak memory, the load average before and
after. Each database runs in a process of its own.
Not a test: the numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from search_bench import (  # noqa: E402
    _create_postgres_database,
    _remove,
    load_average,
    machine,
    percentile,
)

SEED = 20231008
SUBJECTS = (
    "养老机构",
    "幼儿园",
    "中小学",
    "医疗机构",
    "药品零售",
    "公交线路",
    "出租车",
    "停车场",
    "充电桩",
    "旅游景区",
    "星级饭店",
    "文物保护单位",
    "图书馆",
    "体育场馆",
    "农产品价格",
    "农业合作社",
    "家庭农场",
    "种子经营",
    "兽药经营",
    "水资源",
    "河湖长",
    "水库",
    "地下水",
    "空气质量",
    "噪声监测",
    "排污许可",
    "固体废物",
    "危险废物",
    "建设工程",
    "房屋预售",
    "物业企业",
    "公租房",
    "市场主体",
    "个体工商户",
    "食品生产",
    "特种设备",
    "计量器具",
    "专利",
    "商标",
    "科技企业",
    "高新技术",
    "社会组织",
    "慈善组织",
    "志愿服务",
    "婚姻登记",
    "殡葬服务",
    "最低生活保障",
    "特困供养",
    "残疾人",
    "退役军人",
    "就业见习",
    "职业培训",
    "社会保险",
    "医疗保障",
    "定点药店",
    "税务登记",
    "政府采购",
    "招标投标",
    "行政许可",
    "行政处罚",
    "信用评价",
    "统计公报",
    "人口普查",
    "气象观测",
    "地质灾害",
    "应急避难场所",
    "消防救援",
    "安全生产",
    "矿山",
    "林草资源",
    "自然保护地",
    "湿地",
    "草原",
    "防沙治沙",
    "道路运输",
    "驾驶培训",
    "民航航班",
    "邮政网点",
    "通信基站",
    "电力设施",
    "天然气",
    "供热",
    "供水",
    "污水处理",
    "垃圾分类",
    "公共厕所",
    "公园绿地",
    "路灯",
    "地名",
)
KINDS = ("名录", "目录", "统计", "信息", "清单", "年报", "月报", "分布", "监测数据", "登记信息")
FIELD_NAMES = (
    "名称",
    "统一社会信用代码",
    "地址",
    "所在市县",
    "联系电话",
    "负责人",
    "登记日期",
    "有效期至",
    "经度",
    "纬度",
    "类别",
    "等级",
    "状态",
    "数量",
    "面积",
    "金额",
    "年份",
    "月份",
    "监测时间",
    "监测值",
    "许可证号",
    "发证机关",
    "服务对象",
    "床位数",
    "车牌号",
    "线路名称",
    "站点名称",
    "价格",
    "单位",
    "备注",
)
DOMAINS = (
    "民政",
    "教育",
    "卫生健康",
    "交通运输",
    "文化旅游",
    "农业农村",
    "水利",
    "生态环境",
    "住房城乡建设",
    "市场监管",
    "人力资源社会保障",
    "应急管理",
    "自然资源",
    "统计",
)
FORMATS = (
    ("CSV", "text/csv"),
    ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("JSON", "application/json"),
    ("API", ""),
    ("XML", "application/xml"),
)
FREQUENCIES = (
    "realtime",
    "daily",
    "weekly",
    "monthly",
    "quarterly",
    "half_yearly",
    "yearly",
    "irregular",
)


def _mix(rng: random.Random):
    """(state, grade, open_type): 90 % public, the rest not open, important, core, drafts."""
    draw = rng.random()
    if draw < 0.60:
        return "published", "general", "unconditional"
    if draw < 0.90:
        return "published", "general", "conditional"
    if draw < 0.94:
        return "published", "general", "none"
    if draw < 0.97:
        return "published", "important", "none"
    if draw < 0.98:
        return "published", "core", "none"
    return "draft", "general", "unconditional"


def build_catalog(count: int) -> dict:
    """The classification, the registry, and ``count`` entries in bulk; returns timings and
    what the queries draw from."""
    from django.db import transaction

    from shuzheng.catalog.models import DataField, DataResource, Distribution
    from shuzheng.catalog.samples import SAMPLE_CATALOG, load_categories
    from shuzheng.orgs.models import Unit
    from shuzheng.orgs.services import load_sample_registry

    load_sample_registry()
    spec = json.loads(SAMPLE_CATALOG.read_text(encoding="utf-8"))
    categories = load_categories(spec["categories"])
    leaves = [c for c in categories.values() if c.level == "category"] or list(categories.values())
    units = list(Unit.objects.order_by("code"))
    places = sorted(
        {(unit.region.name or "宁夏") for unit in Unit.objects.select_related("region")}
    )
    rng = random.Random(SEED)
    start = time.perf_counter()
    moment = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
    batch = 2000
    with transaction.atomic():
        for first in range(0, count, batch):
            rows, details = [], []
            for number in range(first, min(first + batch, count)):
                state, grade, open_type = _mix(rng)
                category = rng.choice(leaves)
                subjects = rng.sample(SUBJECTS, 6)
                modified = moment + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 1000))
                rows.append(
                    DataResource(
                        code=f"{category.code}/{number + 1:06d}",
                        name=f"bench-{number + 1:06d}",
                        title=f"{rng.choice(places)}{subjects[0]}{rng.choice(KINDS)}",
                        category=category,
                        provider=rng.choice(units),
                        summary="、".join(subjects[: rng.randint(3, 6)]) + "等方面的数据。",
                        resource_format="电子表格",
                        keywords=subjects[1 : 1 + rng.randint(2, 4)],
                        domain=rng.choice(DOMAINS),
                        license_id="cc-by-4.0" if open_type != "none" else "",
                        share_type="unconditional",
                        open_type=open_type,
                        update_frequency=rng.choice(FREQUENCIES),
                        grade=grade,
                        state=state,
                        created_at=modified,
                        modified_at=modified,
                        first_published_at=modified if state == "published" else None,
                        published_on=modified.date() if state == "published" else None,
                    )
                )
                details.append(
                    (
                        rng.sample(FIELD_NAMES, rng.randint(3, 6)),
                        rng.sample(FORMATS, rng.randint(1, 2)),
                        modified,
                    )
                )
            DataResource.objects.bulk_create(rows)
            if rows[0].pk is None:  # SQLite before RETURNING: read the ids back
                ids = dict(
                    DataResource.objects.filter(name__in=[r.name for r in rows]).values_list(
                        "name", "pk"
                    )
                )
                for row in rows:
                    row.pk = ids[row.name]
            fields, distributions = [], []
            for row, (names, formats, modified) in zip(rows, details, strict=True):
                fields += [
                    DataField(
                        resource_id=row.pk,
                        position=index,
                        name=name,
                        column=f"c{index}",
                        data_type="string",
                        grade="general" if row.grade != "core" else "core",
                        share_type="unconditional",
                    )
                    for index, name in enumerate(names, start=1)
                ]
                distributions += [
                    Distribution(
                        resource_id=row.pk,
                        position=index,
                        title=f"{row.title}（{name}）",
                        kind="link",
                        url=f"https://data.example.org/{row.name}.{name.lower()}",
                        format=name,
                        media_type=media_type,
                        created_at=modified,
                        modified_at=modified,
                    )
                    for index, (name, media_type) in enumerate(formats, start=1)
                ]
            DataField.objects.bulk_create(fields, batch_size=batch)
            Distribution.objects.bulk_create(distributions, batch_size=batch)
    insert = time.perf_counter() - start
    from shuzheng.catalog import packages

    start = time.perf_counter()
    with transaction.atomic():
        packages.refresh_all()  # what the services write entry by entry, for the bulk load
    stored = time.perf_counter() - start
    classes = sorted({c.top.slug for c in leaves})
    return {
        "insert_s": insert,
        "packages_s": stored,
        "units": [u.code for u in units],
        "classes": classes,
    }


def queries(count: int, catalog: dict) -> list[dict]:
    rng = random.Random(SEED + 1)
    facets = json.dumps(["organization", "groups", "res_format", "open_type"])
    words = list(SUBJECTS) + list(FIELD_NAMES[:10])
    shapes = [
        lambda: {"q": rng.choice(words)},
        lambda: {"q": rng.choice(words), "facet.field": facets},
        lambda: {
            "q": f"{rng.choice(SUBJECTS)} {rng.choice(KINDS)}",
            "fq": f"groups:{rng.choice(catalog['classes'])}",
        },
        lambda: {"fq": f"organization:{rng.choice(catalog['units'])}", "facet.field": facets},
        lambda: {
            "fq": f"res_format:{rng.choice(FORMATS)[0]} AND update_frequency:(daily OR weekly)",
            "facet.field": json.dumps(["organization"]),
        },
        lambda: {"sort": "metadata_modified desc", "start": rng.randint(0, 1000)},
        lambda: {"sort": "name asc", "start": rng.randint(0, 100)},
        lambda: {"facet.field": json.dumps(["open_type", "res_format"]), "rows": 0},
    ]
    found = []
    for number in range(count):
        params = rng.choice(shapes)()
        params.setdefault("rows", 100 if number % 10 == 9 else 10)
        found.append(params)
    return found


def peer_search(text, *, filters, sort, offset, limit, facet_fields, include_private, user):
    """The search step of ``package_search`` done by the database with the ORM: what
    ``portal_selectors.search_datasets`` answers (hits, total, facets), for the public."""
    from django.db.models import Count, Exists, OuterRef, Q

    from shuzheng.catalog.models import DataField, DataResource, ResourceCategory
    from shuzheng.catalog.portal_selectors import DatasetResults
    from shuzheng.search.query import FacetValue

    rows = DataResource.objects.open_to_public().exclude(grade="core")
    for word in text.split():
        in_items = DataField.objects.filter(resource=OuterRef("pk"), name__icontains=word)
        rows = rows.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Exists(in_items))
    tops = _class_categories(ResourceCategory)
    columns = {
        "provider_code": "provider__code",
        "format": "distributions__format",
        "frequency": "update_frequency",
        "open_type": "open_type",
        "grade": "grade",
        "domain": "domain",
        "license": "license_id",
    }
    for facet, values in filters.items():
        if facet == "category":
            ids = [pk for slug in values for pk in tops.get(slug, ())]
            rows = rows.filter(category_id__in=ids)
        elif facet == "format":
            rows = rows.filter(
                pk__in=DataResource.objects.filter(distributions__format__in=values).values("pk")
            )
        else:
            rows = rows.filter(**{f"{columns[facet]}__in": values})
    total = rows.count()
    order = {"modified": ("-modified_at", "-pk"), "name": ("name",)}.get(sort, ("-modified_at",))
    hits = list(rows.order_by(*order).values_list("pk", flat=True)[offset : offset + limit])
    counted = {}
    for facet in facet_fields:
        if facet == "category":
            by_category = rows.values_list("category_id").annotate(n=Count("pk"))
            slug_of = {pk: slug for slug, pks in tops.items() for pk in pks}
            sums: dict[str, int] = {}
            for category_id, n in by_category:
                sums[slug_of[category_id]] = sums.get(slug_of[category_id], 0) + n
            pairs = list(sums.items())
        else:
            column = columns[facet]
            pairs = list(
                rows.values_list(column)
                .annotate(n=Count("pk", distinct=True))
                .exclude(**{f"{column}__isnull": True})
            )
        pairs.sort(key=lambda pair: (-pair[1], pair[0]))
        counted[facet] = [FacetValue(value, n) for value, n in pairs if value]
    return DatasetResults(hits, total, counted)


_TOPS: dict = {}


def _class_categories(model) -> dict[str, list[int]]:
    """The category ids under each class (类), by the class's slug (read once)."""
    if not _TOPS:
        for category in model.objects.all():
            _TOPS.setdefault(category.top.slug, []).append(category.pk)
    return _TOPS


def summary(timings: list[float]) -> dict:
    return {
        "p50": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "p99": percentile(timings, 0.99),
    }


def catalog_of_database() -> dict:
    """What the queries draw from, read back from a catalog built by an earlier run."""
    from shuzheng.catalog.models import ResourceCategory
    from shuzheng.orgs.models import Unit

    leaves = ResourceCategory.objects.filter(level="category")
    return {
        "insert_s": None,
        "packages_s": None,
        "units": list(Unit.objects.order_by("code").values_list("code", flat=True)),
        "classes": sorted({c.top.slug for c in leaves}),
    }


def bench_database(count: int, query_count: int, reuse: bool) -> dict:
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import RequestFactory

    from shuzheng.catalog import ckan_api, portal_selectors
    from shuzheng.search import services, sources

    call_command("migrate", verbosity=0)
    settings.SEARCH_INDEX_AT_ONCE = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from shuzheng.catalog.models import DataResource

    if reuse and DataResource.objects.filter(name__startswith="bench-").count() == count:
        catalog = catalog_of_database()  # --reuse: the previous run's catalog and index
        from shuzheng.catalog import packages
        from shuzheng.catalog.models import StoredPackage

        if StoredPackage.objects.count() != DataResource.objects.count():
            packages.refresh_all()  # a catalog built before the texts were stored
        index_rows = index_engine = None
    else:
        catalog = build_catalog(count)
        start = time.perf_counter()
        sources.reindex()
        index_rows = time.perf_counter() - start
        start = time.perf_counter()
        services.apply_outbox(wait=60)
        index_engine = time.perf_counter() - start
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    asked = queries(query_count, catalog)
    factory = RequestFactory()
    shipped = ckan_api.ACTIONS["package_search"]

    def answer(params: dict, *, peer: bool) -> dict:
        request = factory.get("/api/3/action/package_search", params)
        if peer:
            ckan_api.portal_selectors.search_datasets = peer_search
        try:
            response = ckan_api.dispatch(request, name="package_search")
        finally:
            ckan_api.portal_selectors.search_datasets = original
        body = json.loads(response.content)
        if not body.get("success"):
            raise SystemExit(f"{params}: {body}")
        return body["result"]

    original = portal_selectors.search_datasets
    assert shipped.function is ckan_api.package_search
    for params in asked[:20]:  # warm caches
        answer(params, peer=False)
        answer(params, peer=True)
    timings: dict[str, list[float]] = {"engine": [], "peer": []}
    totals: dict[str, list[int]] = {"engine": [], "peer": []}
    for params in asked:
        for name in ("engine", "peer"):
            start = time.perf_counter()
            result = answer(params, peer=name == "peer")
            timings[name].append((time.perf_counter() - start) * 1000)
            totals[name].append(result["count"])
    filter_only = [i for i, params in enumerate(asked) if not params.get("q")]
    differing = [
        {"params": asked[i], "engine": totals["engine"][i], "peer": totals["peer"][i]}
        for i in filter_only
        if totals["engine"][i] != totals["peer"][i]
    ]
    with_words = [i for i, params in enumerate(asked) if params.get("q")]
    return {
        "vendor": connection.vendor,
        "datasets": count,
        "insert_s": catalog["insert_s"],
        "packages_s": catalog["packages_s"],
        "index_rows_s": index_rows,
        "index_engine_s": index_engine,
        "engine": summary(timings["engine"]),
        "peer": summary(timings["peer"]),
        "engine_rows_10_p95": percentile(
            [t for t, params in zip(timings["engine"], asked, strict=True) if params["rows"] == 10],
            0.95,
        ),
        "queries": len(asked),
        "filter_only": len(filter_only),
        "differing": differing,
        "words_agree": sum(1 for i in with_words if totals["engine"][i] == totals["peer"][i]),
        "with_words": len(with_words),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _drop_postgres_database(url: str) -> None:
    """A fresh database for each run: the previous run's entries would collide."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    conninfo = {
        "user": config["USER"],
        "host": config["HOST"],
        "port": config["PORT"],
        "password": config["PASSWORD"],
        **config.get("OPTIONS", {}),
        "dbname": "postgres",
    }
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v}, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')


def row(result: dict, load: str) -> str:
    def times(data):
        return f"{data['p50']:.1f} / {data['p95']:.1f} / {data['p99']:.1f} ms"

    def seconds(value):
        return "reused" if value is None else f"{value:.0f} s"

    agree = result["filter_only"] - len(result["differing"])
    return (
        f"| {result['datasets']:,} | {result['vendor']} | {seconds(result['insert_s'])} "
        f"+ {seconds(result['packages_s'])} "
        f"| {seconds(result['index_rows_s'])} + {seconds(result['index_engine_s'])} "
        f"| {times(result['engine'])} ({result['engine_rows_10_p95']:.1f} ms) "
        f"| {times(result['peer'])} "
        f"| {agree} of {result['filter_only']}; {result['words_agree']} of "
        f"{result['with_words']} | {result['peak_rss_mb']:.0f} MiB | {load} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--postgres", default=os.environ.get("SHUZHENG_BENCH_POSTGRES", ""))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="query the catalog and index an earlier run of the same size left (no build)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuzheng.settings")
    if args.child:  # one database per process (Django settings are global)
        print(json.dumps(bench_database(args.datasets, args.queries, args.reuse)))
        return

    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    print(f"`{' '.join(['.venv/bin/python', 'bench/package_search_bench.py', *sys.argv[1:]])}`\n")
    print(f"Machine: {machine()}.\n")
    print(
        "| datasets | database | insert + package texts | index: rows + engine | package_search p50 / p95 / "
        "p99 (p95 of rows=10) | ORM peer p50 / p95 / p99 | totals equal: filters; words | peak RSS | load |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    sqlite_file = bench_dir / f"package-search-bench-{args.datasets}.sqlite3"
    if not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
    targets = [f"sqlite:///{sqlite_file}"]
    if args.postgres and not args.no_postgres:
        if not args.reuse:
            _drop_postgres_database(args.postgres)
        _create_postgres_database(args.postgres)
        targets.append(args.postgres)
    failed = False
    for url in targets:
        index_dir = bench_dir / f"package-search-index-{args.datasets}-{url.split(':')[0]}"
        if not args.reuse:
            _remove(index_dir)
        env = {
            **os.environ,
            "SHUZHENG_DATABASE_URL": url,
            "SHUZHENG_VAR_DIR": str(bench_dir),
            "SHUZHENG_SEARCH_INDEX_DIR": str(index_dir),
        }
        load = load_average()
        output = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--datasets",
                str(args.datasets),
                "--queries",
                str(args.queries),
                *(["--reuse"] if args.reuse else []),
            ],
            env=env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        print(row(result, f"{load} → {load_average()}"), flush=True)
        for miss in result["differing"]:
            failed = True
            print(f"  totals differ: {miss}", file=sys.stderr)
    if failed:
        sys.exit("the totals differ on a query without words (see above)")


if __name__ == "__main__":
    main()
