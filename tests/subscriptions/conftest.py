"""Fixtures of the subscriptions tests: the registry, the sample gazette, people of each
kind, and a realistic new notice (宁财发〔2023〕88号) to ingest after subscribing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.documents.services import ingest_file
from shuzheng.orgs.services import load_sample_registry

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = Path(settings.BASE_DIR) / "data" / "samples" / "ningxia-gazette-2023-10.txt"
NOTICE = FIXTURES / "notice-data-sharing.txt"


@pytest.fixture
def registry(db):
    load_sample_registry()


@pytest.fixture
def sample(registry):
    """The sample gazette ingested (and so indexed) through the service."""
    return ingest_file(SAMPLE.read_bytes(), SAMPLE.name, actor=None)


def make_user(username: str, role: str, **extra) -> User:
    user = User(username=username, role=role, email=f"{username}@example.gov.cn", **extra)
    user.set_password("Shuzheng-2023!")
    user.save()
    return user


@pytest.fixture
def citizen(db):
    return make_user("li_citizen", Role.CITIZEN)


@pytest.fixture
def enterprise(db):
    return make_user("ningxia_mfg", Role.ENTERPRISE)


@pytest.fixture
def ingest_notice():
    """Ingest the new notice (or another text); returns the IngestionReport."""

    def ingest(text: str | None = None, name: str = NOTICE.name):
        data = NOTICE.read_bytes() if text is None else text.encode("utf-8")
        return ingest_file(data, name, actor=None)

    return ingest


def notice_text() -> str:
    return NOTICE.read_text(encoding="utf-8")
