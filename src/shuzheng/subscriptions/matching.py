"""Who a new policy item is for, and why (issue 4, item 4: 信息找人; seed task 89:
惠企政策精准推送). Pure module: no Django import.

Four kinds of subscription and one enterprise profile decide who hears about a newly
ingested document, section or key task:

* a **saved search** (words and facet filters, as on /search/) — the search engine itself
  decides, run over the new items only;
* a **topic** (one term) — the term as a phrase, also through the search engine;
* a **unit** — documents the unit issued and key tasks it is responsible for;
* a **document** — its new versions;
* the **enterprise profile** (industry, region, size, tags) — :func:`profile_fit` below.

One item reaching a person through several of these gives one notification: the most
specific match (:func:`choose`) gives the reason, the others are listed after it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shuzheng.text.topics import topic_name

SEARCH = "search"
TOPIC = "topic"
UNIT = "unit"
DOCUMENT = "document"
PROFILE = "profile"

#: Search parameters a saved search keeps (those of /search/ without sort and paging),
#: with the field name the query language prints for them.
SAVED_PARAMETERS: dict[str, str] = {
    "q": "",
    "kind": "层级",
    "number": "文号",
    "issuer": "机关",
    "year": "年份",
    "type": "类型",
    "topic": "主题",
    "validity": "效力",
    "unit": "单位",
    "deadline_year": "完成年份",
}

#: How specific each way of matching is: a followed document names one document; a saved
#: search with filters names a narrow set (and gains one point per condition); a topic is
#: one term; a followed unit covers everything the unit issues or owns; a profile is broad.
SPECIFICITY = {DOCUMENT: 100, SEARCH: 40, TOPIC: 30, UNIT: 20, PROFILE: 10}


def saved_parameters(params) -> dict[str, str]:
    """The non-empty saved-search parameters of a request or dict, stripped, in a fixed
    order (so equal searches compare equal)."""
    kept = {}
    for name in SAVED_PARAMETERS:
        value = str(params.get(name) or "").strip()
        if value:
            kept[name] = value
    return kept


def search_label(params: dict[str, str]) -> str:
    """How a saved search is named to its owner: “数据共享” (机关:自治区财政厅 · 年份:2023)."""
    words = params.get("q", "")
    filters = [
        f"{SAVED_PARAMETERS[name]}:{_shown(name, value)}"
        for name, value in params.items()
        if name != "q"
    ]
    label = f"“{words}”" if words else ""
    if filters:
        joined = " · ".join(filters)
        label = f"{label} ({joined})" if label else joined
    return label


def _shown(name: str, value: str) -> str:
    """A saved parameter as its label shows it: a topic code by its class's name."""
    return topic_name(value, "zh-hans") if name == "topic" else value


def search_specificity(params: dict[str, str]) -> int:
    """A saved search is more specific the more conditions it sets (words and filters)."""
    words = len(params.get("q", "").split())
    return SPECIFICITY[SEARCH] + words + len([name for name in params if name != "q"])


def subscription_key(kind: str, target: str) -> str:
    """A stable fingerprint of what a subscription follows, so one person cannot hold the
    same subscription twice (a unique constraint on owner and key)."""
    return hashlib.sha256(f"{kind}\x1f{target}".encode()).hexdigest()


def search_target(params: dict[str, str]) -> str:
    return "&".join(f"{name}={value}" for name, value in sorted(params.items()))


# -- the enterprise profile (seed task 89: 惠企政策精准推送) -----------------------------------

#: Words that say a passage is enterprise policy written for every enterprise: support
#: policies (惠企), enterprise-related services (涉企), the enterprise life cycle, the
#: business environment and market entities. Such a passage fits every profile.
GENERAL_ENTERPRISE_TERMS: tuple[str, ...] = (
    "惠企",
    "涉企",
    "企业全生命周期",
    "营商环境",
    "市场主体",
)
#: Words that say a passage is about enterprises at all; with a term of the profile it fits.
ENTERPRISE_WORDS: tuple[str, ...] = ("企业", "惠企", "涉企", "市场主体", "个体工商户")

#: Enterprise sizes and the words policies use for enterprises of that size.
SIZE_TERMS: dict[str, tuple[str, ...]] = {
    "micro": ("小微企业", "微型企业", "中小微企业", "个体工商户"),
    "sme": ("中小企业", "中小微企业", "小微企业", "专精特新"),
    "large": ("大型企业", "龙头企业", "规模以上"),
}
#: How the profile prints a size (the policy term for it).
SIZE_NAMES: dict[str, str] = {"micro": "小微企业", "sme": "中小企业", "large": "大型企业"}
#: Suffixes a region name may drop in a text (银川市 → 银川), and industry names (制造业 → 制造).
_REGION_SUFFIXES = ("回族自治区", "自治区", "市", "县", "区", "镇", "乡", "街道")
_INDUSTRY_SUFFIXES = ("产业", "行业", "业")


@dataclass(frozen=True)
class Profile:
    """An enterprise's profile as matching sees it: its industry, the names of its region
    (full and short), its size code and its own tags (e.g. 跨境电商, 高新技术企业)."""

    industry: str = ""
    region_names: tuple[str, ...] = ()
    size: str = ""
    tags: tuple[str, ...] = ()

    def summary(self) -> str:
        """制造业 · 银川市 · 中小企业 · 跨境电商 — what the reason text shows."""
        parts = [self.industry, self.region_names[0] if self.region_names else ""]
        parts += [SIZE_NAMES.get(self.size, ""), *self.tags]
        return " · ".join(part for part in parts if part)

    def terms(self) -> tuple[str, ...]:
        """The words a targeted policy would use for this enterprise."""
        found: list[str] = []
        if self.industry:
            found += [self.industry, _shortened(self.industry, _INDUSTRY_SUFFIXES)]
        for name in self.region_names:
            found += [name, _shortened(name, _REGION_SUFFIXES)]
        found += SIZE_TERMS.get(self.size, ())
        found += self.tags
        return tuple(dict.fromkeys(term for term in found if len(term) >= 2))


def _shortened(name: str, suffixes: Sequence[str]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True)
class ProfileFit:
    """Why a passage fits a profile: the words it contains."""

    terms: tuple[str, ...]
    general: bool


def profile_fit(text: str, profile: Profile) -> ProfileFit | None:
    """Whether a passage is a policy for this enterprise (seed task 89).

    The rule: a passage fits when it is enterprise policy for everyone — it names 惠企, 涉企,
    企业全生命周期, 营商环境 or 市场主体 — or when it speaks of enterprises (企业 …) *and* uses a
    word of the profile: its industry (制造业 or 制造), its region (银川市 or 银川), the
    policy words for its size (中小企业, 专精特新 …) or one of its tags. A passage that
    mentions enterprises only in passing (公共企业 in a data-sharing paragraph) does not fit
    a profile whose words it does not use.
    """
    general = tuple(term for term in GENERAL_ENTERPRISE_TERMS if term in text)
    specific: tuple[str, ...] = ()
    if any(word in text for word in ENTERPRISE_WORDS):
        specific = tuple(term for term in profile.terms() if term in text)
    if not general and not specific:
        return None
    return ProfileFit(terms=_outermost(specific + general), general=not specific)


def _outermost(terms: tuple[str, ...]) -> tuple[str, ...]:
    """The terms without those inside a longer one found too (制造 beside 制造业)."""
    unique = tuple(dict.fromkeys(terms))
    return tuple(term for term in unique if not any(term != o and term in o for o in unique))


# -- one notification per person and item ----------------------------------------------------


@dataclass(frozen=True)
class Match:
    """One way an item reaches a person: which subscription (None for the profile), how
    specific it is, and the reason text shown in the inbox."""

    source: str
    subscription_id: int | None
    specificity: int
    reason: str
    label: str


def choose(matches: Iterable[Match]) -> tuple[Match, list[Match]]:
    """The most specific match (ties: the older subscription, the profile last) and the
    others, for "…; also: …" (issue 4, item 4: one notification per person and item)."""
    ordered = sorted(
        matches,
        key=lambda m: (-m.specificity, m.subscription_id is None, m.subscription_id or 0),
    )
    if not ordered:
        raise ValueError("choose() needs at least one match")
    return ordered[0], ordered[1:]


def combined_reason(primary: Match, others: Sequence[Match], also: str, limit: int = 300) -> str:
    """The primary reason, then ``also`` (the translated "also:") and the other matches'
    labels, cut to ``limit`` characters."""
    reason = primary.reason
    if others:
        labels = "; ".join(dict.fromkeys(match.label for match in others))
        reason = f"{reason} ({also} {labels})"
    return reason if len(reason) <= limit else reason[: limit - 1] + "…"
