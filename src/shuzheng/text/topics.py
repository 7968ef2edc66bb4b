"""The topic classification of documents (主题分类) and the rule that proposes a document's
topics from its words (issue 14, point 3).

Plain Python, no Django. The classes are the State Council's 公文主题分类 as gov.cn's
国务院政策文件库 files its documents (``text/data/topics.json`` names the source), each with a
two-digit code, its Chinese and English names and weighted keywords. The proposal is
deterministic and explained: a topic scores its keywords' weights, counted in the title's
subject (:func:`subject`) :data:`TITLE_FACTOR` times and in the text once per occurrence
(at most :data:`BODY_CAP`; a keyword inside a longer one of the same topic is not counted
again), and
:class:`Proposal` keeps which words scored, so a reader sees why a document was filed where
it was. The best topic is proposed, with the runners-up that score at least
:data:`SECOND_SHARE` of it (a document on ecological compensation is about the environment
and about the money), at most :data:`MAX_TOPICS`; a document no keyword marks is 其他.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "topics.json"
#: A keyword in the title counts as this many occurrences: the title says what a document is.
TITLE_FACTOR = 10
#: Occurrences of one keyword in the text counted at most: a long text repeating one word
#: does not drown the others.
BODY_CAP = 8
#: A topic beside the best one needs this share of the best score.
SECOND_SHARE = 0.7
#: Below this score a topic is not proposed (a word or two in passing).
MIN_SCORE = 6
MAX_TOPICS = 2
#: The class of a document no keyword marks (gov.cn's 其他).
OTHER = "21"


@dataclass(frozen=True)
class Topic:
    code: str
    zh: str
    en: str
    keywords: tuple[tuple[str, int], ...]

    def name(self, language: str) -> str:
        """The name in ``language`` (a Django language code): Chinese unless English."""
        return self.en if language.lower().startswith("en") else self.zh


@cache
def _data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@cache
def topics() -> tuple[Topic, ...]:
    """The classification in its order, read once from the data file."""
    data = _data()
    return tuple(
        Topic(item["code"], item["zh"], item["en"], tuple(item["keywords"].items()))
        for item in data["topics"]
    )


def by_code() -> dict[str, Topic]:
    return {topic.code: topic for topic in topics()}


def codes() -> tuple[str, ...]:
    return tuple(topic.code for topic in topics())


def topic_name(code: str, language: str) -> str:
    """The name of ``code`` in ``language``; an unknown code as it is."""
    topic = by_code().get(code)
    return topic.name(language) if topic else code


def valid_codes(values) -> tuple[str, ...]:
    """The known codes of ``values``, in the classification's order, each once."""
    wanted = set(values)
    return tuple(code for code in codes() if code in wanted)


def resolve(text: str) -> tuple[str, ...]:
    """The topics a typed name stands for (``主题:环境保护``): its code, its whole Chinese or
    English name, or one part of the Chinese name (the names join parts with 、: 环境保护 is
    a part of 城乡建设、环境保护), or words of the English name. Several topics when the part
    is shared (安全 → 市场监管、安全生产监管 and 公安、安全、司法); empty when none."""
    wanted = text.strip()
    if not wanted:
        return ()
    lowered = wanted.lower()
    exact = [
        topic.code
        for topic in topics()
        if wanted in (topic.code, topic.zh) or lowered == topic.en.lower()
    ]
    if exact:
        return tuple(exact)
    return tuple(
        topic.code
        for topic in topics()
        if any(wanted in part for part in _parts(topic.zh)) or lowered in topic.en.lower()
    )


#: A metadata line naming the document's classes, as gov.cn's 政策文件库 prints it.
_DECLARED = re.compile(r"^[ \t\u3000]*主题分类[ \t\u3000]*[:：](?P<value>[^\n]+)$", re.M)


def declared(text: str) -> tuple[str, ...]:
    """The classes a document's own metadata gives (a line ``主题分类：城乡建设、环境保护``),
    in the order the line names them; empty when it has no such line or names no class.
    The names are found whole in the line, since they themselves hold 、."""
    found = _DECLARED.search(text)
    if found is None:
        return ()
    value = found["value"]
    named = [(value.find(topic.zh), topic.code) for topic in topics() if topic.zh in value]
    return tuple(code for _position, code in sorted(named))


def _parts(name: str) -> list[str]:
    return [part for chunk in name.split("、") for part in chunk.split("与") if part]


def subject(title: str) -> str:
    """What a title is about: the words after its first 关于 (the issuers before it —
    自治区财政厅 自治区工业和信息化厅关于… — say who wrote it, not about what)."""
    _issuers, found, about = title.partition("关于")
    return about if found else title


def _masked(text: str) -> str:
    """``text`` with the data file's masked words blanked (人民政府 is not about 民政)."""
    for word in _data()["masked"]:
        text = text.replace(word, " ")
    return text


@dataclass(frozen=True)
class Evidence:
    """Why one topic scored: the words found, with their counts in title and text."""

    code: str
    score: int
    words: tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Proposal:
    """The proposed topics (codes, best first) and the evidence of every topic that scored."""

    topics: tuple[str, ...]
    evidence: tuple[Evidence, ...]

    def words_of(self, code: str) -> tuple[str, ...]:
        """The words that made ``code`` score, most weighty first."""
        for item in self.evidence:
            if item.code == code:
                return tuple(word for word, _title, _body in item.words)
        return ()


def propose(title: str, text: str) -> Proposal:
    """The topics of a document by its title and text (module docstring: the rule)."""
    title, text = _masked(subject(title)), _masked(text)
    evidence = []
    for topic in topics():
        found = []
        score = 0
        topic_title, topic_text = title, text
        # Longest first, each occurrence taken once: 生态保护补偿 is not also 生态保护 and 生态.
        for word, weight in sorted(topic.keywords, key=lambda pair: (-len(pair[0]), pair[0])):
            in_title = topic_title.count(word)
            in_body = min(topic_text.count(word), BODY_CAP)
            topic_title = topic_title.replace(word, "\0")
            topic_text = topic_text.replace(word, "\0")
            if in_title or in_body:
                found.append((word, in_title, in_body, weight))
                score += weight * (TITLE_FACTOR * min(in_title, 1) + in_body)
        if score:
            found.sort(
                key=lambda item: (-item[3] * (TITLE_FACTOR * min(item[1], 1) + item[2]), item[0])
            )
            evidence.append(Evidence(topic.code, score, tuple(item[:3] for item in found)))
    ranked = sorted(evidence, key=lambda item: (-item.score, item.code))
    if not ranked or ranked[0].score < MIN_SCORE:
        return Proposal((OTHER,), tuple(ranked))
    best = ranked[0].score
    chosen = [
        item.code
        for item in ranked[:MAX_TOPICS]
        if item.score >= max(MIN_SCORE, best * SECOND_SHARE)
    ]
    return Proposal(tuple(chosen), tuple(ranked))
