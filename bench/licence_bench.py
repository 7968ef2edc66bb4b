"""Bulk issuance of electronic licences (issue 10, point 2; goal: 10,000 licences with their
PDFs in under 2 minutes on 2 cores).

    .venv/bin/python bench/licence_bench.py [--licences 10000] [--peer-licences 10000]
        [--workers 2] [--profile] [--postgres postgres://postgres@/shuzheng_bench?host=/tmp/pg]

On a fresh database (SQLite in var/bench/licences/, and PostgreSQL when ``--postgres`` names
one the script may drop and create), a unit, its seal and a licence type of 5 face fields,
then a batch of ``--licences`` drafts (holders by identity card number) issued in one
transaction by ``licence_services.issue_licences`` — each licence's canonical record signed,
its PDF rendered (Chinese font embedded, seal picture, QR code) and signed, the signature
attached in the PDF, the rows and audit events written — with ``--workers`` processes
rendering and signing, against the peer in the same run: the same batch issued with one
process (``workers=1``, the serial path). Every licence of both is checked afterwards: its
PDF's signature verifies over the PDF (a sample of 50, ``trust.services.verify``), and the
counts of licences, signatures and audit events. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

from bench_databases import fresh_database, print_child_rows

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench" / "licences"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--licences", type=int, default=10000)
    parser.add_argument("--peer-licences", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", default="")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--child", default="")
    args = parser.parse_args()
    if args.child:
        return child(args)
    VAR.mkdir(parents=True, exist_ok=True)
    databases = [("SQLite", f"sqlite:///{VAR / 'bench.sqlite3'}")]
    if args.postgres:
        databases.append(("PostgreSQL", args.postgres))
    peer = args.licences if args.peer_licences is None else args.peer_licences
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; load {os.getloadavg()}")
    print("| database | way | licences | seconds | licences/s | verified |")
    print("|---|---|---:|---:|---:|---|")
    for name, url in databases:
        for way, workers, count in (
            (f"{args.workers} processes", args.workers, args.licences),
            ("1 process (peer)", 1, peer),
        ):
            if count <= 0:
                continue
            fresh(url)
            command = [
                sys.executable,
                __file__,
                "--child",
                f"{name}|{way}",
                "--licences",
                str(count),
                "--workers",
                str(workers),
            ]
            if args.profile:
                command.append("--profile")
            print_child_rows(command, url, profile=args.profile)
    print(f"load after: {os.getloadavg()}")
    return 0


def fresh(url: str) -> None:
    fresh_database(url, [VAR / "bench.sqlite3"])


def identity_code(n: int) -> str:
    """A 公民身份号码 with its GB 11643 check digit (a 640104 address, born 1980–1999)."""
    from shuzheng.trust.licences import IDENTITY_CHECKS, IDENTITY_WEIGHTS

    body = f"640104{1980 + n % 20}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    total = sum(int(c) * w for c, w in zip(body, IDENTITY_WEIGHTS, strict=True))
    return body + IDENTITY_CHECKS[total % 11]


def child(args) -> int:
    import django

    django.setup()
    import datetime as dt
    import random

    from shuzheng.audit.models import AuditEvent
    from shuzheng.orgs.models import Region, Unit
    from shuzheng.trust import licence_services, sealed_pdf, services
    from shuzheng.trust.choices import SealKind
    from shuzheng.trust.models import Signature
    from shuzheng.trust.validation import Verdict

    database, way = args.child.split("|")
    region = Region.objects.create(code="640000", name="宁夏回族自治区", level="province")
    unit = Unit.objects.create(
        code="11640000MB0000000X",
        name="宁夏回族自治区残疾人联合会",
        kind="department",
        region=region,
    )
    seal = services.create_seal(unit, SealKind.OFFICIAL, unit.name, by=None)
    licence_type = licence_services.save_licence_type(
        by=None,
        unit=unit,
        code="CJR",
        name="中华人民共和国残疾人证（示例）",
        seal=seal,
        face_fields=[
            {"name": "gender", "label": "性别", "kind": "text"},
            {"name": "birth_date", "label": "出生日期", "kind": "date"},
            {"name": "category", "label": "残疾类别", "kind": "text"},
            {"name": "grade", "label": "残疾等级", "kind": "text"},
            {"name": "address", "label": "住址", "kind": "text"},
        ],
        validity_kind="years",
        validity_years=10,
    )
    surnames = "王李张刘陈杨马黄赵周吴徐孙胡朱高林何郭罗"
    given = "建国秀英海燕志强丽娟文华春梅玉兰金花永红晓东"
    streets = ["兴庆区解放西街", "金凤区北京中路", "西夏区文昌北街", "永宁县杨和镇", "贺兰县习岗镇"]
    rng = random.Random(10)
    drafts = [
        licence_services.LicenceDraft(
            holder_name=rng.choice(surnames) + rng.choice(given) + rng.choice(given),
            holder_kind="identity_card",
            holder_code=identity_code(n),
            face={
                "gender": "男" if n % 2 else "女",
                "birth_date": dt.date(1980 + n % 20, 1 + n % 12, 1 + n % 28).isoformat(),
                "category": ["视力", "听力", "言语", "肢体", "智力", "精神"][n % 6],
                "grade": ["一级", "二级", "三级", "四级"][n % 4],
                "address": f"宁夏回族自治区银川市{rng.choice(streets)}{1 + n % 300}号",
            },
            issued_on=dt.date(2026, 11, 2),
        )
        for n in range(args.licences)
    ]
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    issued = licence_services.issue_licences(licence_type, drafts, by=None, workers=args.workers)
    seconds = time.perf_counter() - started
    if args.profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(
            35
        )
    assert len(issued) == args.licences
    assert Signature.objects.filter(subject_kind__in=["licence", "licence_pdf"]).count() == (
        2 * args.licences
    )
    assert AuditEvent.objects.filter(action="trust.issue_licence").count() == args.licences
    sample = rng.sample(issued, min(50, len(issued)))
    verified = 0
    for licence in sample:
        signed, envelope = sealed_pdf.detach_signature(bytes(licence.pdf))
        assert services.verify(signed, envelope).verdict == Verdict.TOTAL_PASSED
        verified += 1
    print(
        f"| {database} | {way} | {args.licences:,} | {seconds:.1f} | "
        f"{args.licences / seconds:.0f} | {verified} of {verified} sampled PDFs valid |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
