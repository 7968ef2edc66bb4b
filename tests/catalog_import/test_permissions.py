"""Who may import a catalog workbook and follow an import (issue 11, point 2): a provider
unit's staff for their unit, the catalog office for any; a job is seen by who queued it,
its unit's staff and the office."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shuzheng import clock
from shuzheng.catalog.choices import JobState
from shuzheng.catalog.models import ImportJob
from tests.permissions import SUPERVISORS, UNIT_READERS, Case, matrix_test

CSV = "信息资源名称\n".encode()


def make_job(unit, user, **values):
    job = ImportJob(
        original_name="目录.csv", provider=unit, created_at=clock.now(), created_by=user
    )
    for name, value in values.items():
        setattr(job, name, value)
    job.upload.save("matrix.csv", SimpleUploadedFile("matrix.csv", CSV), save=False)
    job.save()
    return job


def make_objects(world):
    problem = {"code": "no_rows", "row": None, "column": None, "header": None, "params": {}}
    return {
        "job": make_job(world.unit, world.users["unit_staff"]),
        "finished": make_job(
            world.unit, world.users["unit_staff"], state=JobState.DONE, errors=[problem]
        ),
        "theirs": make_job(world.other_unit, world.users["administrator"]),
    }


def job_page(name, key):
    return lambda w: reverse(name, args=[w.objects[key].pk])


def upload(world):
    return {
        "file": SimpleUploadedFile("目录.csv", CSV, content_type="text/csv"),
        "provider": world.unit.code,
        "mode": "valid",
    }


MATRIX = [
    Case("catalog:import", allowed=UNIT_READERS),
    Case("catalog:import", method="post", data=upload, allowed=UNIT_READERS, label="upload"),
    Case("catalog:import_template", allowed=UNIT_READERS),
    Case("catalog:import_job", path=job_page("catalog:import_job", "job"), allowed=UNIT_READERS),
    Case(
        "catalog:import_job",
        path=job_page("catalog:import_job", "theirs"),
        allowed=SUPERVISORS,
        label="other-unit",
    ),
    Case(
        "catalog:import_errors",
        path=job_page("catalog:import_errors", "finished"),
        allowed=UNIT_READERS,
    ),
]


def api_job(key):
    return lambda w: f"/api/v1/catalog/imports/{w.objects[key].pk}"


def api_upload(world):
    return {
        "file": SimpleUploadedFile("目录.csv", CSV, content_type="text/csv"),
        "provider": world.unit.code,
    }


MATRIX += [
    Case(
        "api:catalog_imports_create",
        method="post",
        data=api_upload,
        allowed=UNIT_READERS,
        auth="token",
    ),
    Case(
        "api:catalog_imports_detail",
        path=api_job("job"),
        allowed=UNIT_READERS,
        auth="token",
    ),
    Case(
        "api:catalog_imports_detail",
        path=api_job("theirs"),
        allowed=SUPERVISORS,
        auth="token",
        label="other-unit",
    ),
]

test_permission_matrix = matrix_test(MATRIX, setup=make_objects)
