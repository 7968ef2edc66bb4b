"""A suggestion of category and unit for a request's free text (issue 15, point 2, 分类转办).

Plain Python, no Django: the console, the general service's routing and ``bench/routing_bench.py``
all call it with data they loaded themselves.

The category is chosen by a complement naive Bayes classifier (Rennie et al., 2003, "Tackling
the poor assumptions of naive Bayes text classifiers") over rjieba's search cut of the text
(full-width folded by ``shuzheng.text.characters.fold_width``, punctuation and a few function
words dropped). It learns from two sources:

* the service catalog: each category's name, description and keywords form one pseudo-request,
  its keywords counted ``keyword_weight`` times, so the suggester works before any request was
  ever answered;
* past requests (text → the category they were finally handled under), through :meth:`learn`.

For a text with tokens ``t1 … tn`` the score of category ``c`` is

    S(c) = Σ −log P(ti | not c),   P(w | not c) = (N(w) − N(w, c) + α) / (N − N(c) + α·|V|)

where ``N(w, c)`` counts ``w`` in ``c``'s documents, ``N(w)`` in all of them, ``N(c)`` and ``N``
the tokens, ``|V|`` the vocabulary and α = 1 (Laplace). A category wins when the text's words
are rare in every *other* category: unlike the multinomial model it does not favour the
categories with few documents, whose unseen words are smoothed less. Scores are turned into
the shares shown by a softmax (a ranking weight, not a calibrated probability). The reason
given for a category is the words that decided it: the text's tokens whose weight for that
category most exceeds their weight for the best other category. The unit is then read from the
duty map (权责清单, category × region → unit), walking the request's regions from the most
specific to the region as a whole; the duty-map entry found is part of the reason. A category
nothing has taught yet (the general service before its first request) is not a candidate.

Why not scikit-learn: it is not a dependency, and the classifier is forty lines; the bench
compares it with the keyword-only baseline (``hotline.classify``) in the same run.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import rjieba

from shuzheng.text.characters import CJK_IDEOGRAPHS, fold_width

# A token worth counting holds an ideograph, a letter or a digit (not punctuation or space).
_WORD = re.compile(f"[{CJK_IDEOGRAPHS}A-Za-z0-9]")
# Function words that occur in every kind of request and only blur the counts.
STOP_WORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "我",
        "我们",
        "你",
        "你们",
        "他",
        "他们",
        "在",
        "有",
        "也",
        "都",
        "就",
        "和",
        "与",
        "及",
        "吗",
        "呢",
        "吧",
        "啊",
        "能",
        "不能",
        "一个",
        "这个",
        "那个",
        "一直",
        "已经",
        "还",
        "又",
        "把",
        "被",
        "让",
        "给",
        "说",
        "要",
        "想",
        "请",
        "到",
        "从",
        "对",
        "很",
        "这",
        "那",
        "着",
        "过",
        "人",
        "上",
        "下",
        "里",
        "个",
    ]
)


@dataclass(frozen=True)
class Category:
    code: str
    name: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    is_general: bool = False


@dataclass(frozen=True)
class Duty:
    """One duty-map entry: who answers for ``category`` in ``region``."""

    category: str
    region: str
    unit: str
    role: str = "lead"
    basis: str = ""


@dataclass(frozen=True)
class Suggestion:
    code: str
    #: The softmax share of the score among all candidates (ranking weight).
    probability: float
    #: The words of the text that decided for this category, strongest first.
    words: tuple[str, ...]
    #: The duty-map entry the unit was read from (None: no entry for any of the regions).
    duty: Duty | None

    @property
    def unit(self) -> str | None:
        return self.duty.unit if self.duty else None


def from_catalog(data: dict) -> tuple[list[Category], list[Duty]]:
    """Categories and duties from a catalog file (``hotline/data/catalog.json``'s format)."""
    categories, duties = [], []
    for service in data["services"]:
        categories.append(
            Category(
                code=service["code"],
                name=service.get("name", ""),
                description=service.get("description", ""),
                keywords=tuple(service.get("keywords", ())),
                is_general=bool(service.get("is_general", False)),
            )
        )
        for duty in service.get("duties", ()):
            duties.append(
                Duty(
                    category=service["code"],
                    region=duty["region"],
                    unit=duty["unit"],
                    role=duty.get("role", "lead"),
                    basis=duty.get("basis", ""),
                )
            )
    return categories, duties


class Tokenizer:
    """rjieba's search cut with the catalog's keywords kept whole; thread-safe."""

    def __init__(self, terms: Iterable[str] = ()):
        self._jieba = rjieba.Jieba()
        self._lock = threading.Lock()
        with self._lock:
            for term in dict.fromkeys(terms):
                if term:
                    self._jieba.add_word(term, 100000, None)

    def __call__(self, text: str) -> list[str]:
        words = self._jieba.cut_for_search(fold_width(text).lower(), False)
        return [word for word in words if _WORD.search(word) and word not in STOP_WORDS]


class Suggester:
    def __init__(
        self,
        categories: Sequence[Category],
        duties: Iterable[Duty] = (),
        *,
        keyword_weight: int = 3,
        alpha: float = 1.0,
    ):
        if not categories:
            raise ValueError("a suggester needs at least one category")
        self.categories = {category.code: category for category in categories}
        self.alpha = alpha
        self.tokenize = Tokenizer(word for c in categories for word in c.keywords)
        self._counts: dict[str, Counter[str]] = {code: Counter() for code in self.categories}
        self._documents: Counter[str] = Counter()
        self._duties: dict[tuple[str, str], list[Duty]] = {}
        for duty in duties:
            self._duties.setdefault((duty.category, duty.region), []).append(duty)
        for category in categories:
            if category.is_general:
                continue  # its description says what it is not; only its requests teach
            counts = self._counts[category.code]
            counts.update(self.tokenize(f"{category.name} {category.description}"))
            for keyword in category.keywords:
                counts.update(self.tokenize(keyword) * keyword_weight)
            self._documents[category.code] += 1

    def learn(self, examples: Iterable[tuple[str, str]]) -> int:
        """Count past requests (text, category code); unknown codes are skipped. Returns how
        many were learned."""
        learned = 0
        for text, code in examples:
            if code in self._counts:
                self._counts[code].update(self.tokenize(text))
                self._documents[code] += 1
                learned += 1
        return learned

    def _weights(self, tokens: list[str], candidates: list[str]) -> dict[str, dict[str, float]]:
        """For each candidate ``c`` and token ``w``: −log P(w | not c), the complement's
        smoothed frequency (see the module docstring)."""
        vocabulary = set().union(*self._counts.values()) | set(tokens)
        everything: Counter[str] = Counter()
        for counts in self._counts.values():
            everything.update(counts)
        total = sum(everything.values())
        result = {}
        for code in candidates:
            counts = self._counts[code]
            denominator = math.log(total - sum(counts.values()) + self.alpha * len(vocabulary))
            result[code] = {
                token: denominator - math.log(everything[token] - counts[token] + self.alpha)
                for token in set(tokens)
            }
        return result

    def suggest(self, text: str, regions: Sequence[str] = (), limit: int = 3) -> list[Suggestion]:
        """Up to ``limit`` categories for ``text``, most probable first, each with the words
        that decided and the unit the duty map names for the first of ``regions`` (most
        specific first) that has an entry. No word worth counting → no suggestion."""
        tokens = self.tokenize(text)
        if not tokens:
            return []
        candidates = [code for code in self._counts if self._documents[code]]
        likelihoods = self._weights(tokens, candidates)
        scores = {code: sum(likelihoods[code][token] for token in tokens) for code in candidates}
        best = max(scores.values())
        normaliser = sum(math.exp(score - best) for score in scores.values())
        ranked = sorted(scores, key=lambda code: -scores[code])[:limit]
        return [
            Suggestion(
                code=code,
                probability=math.exp(scores[code] - best) / normaliser,
                words=self._deciding_words(code, tokens, likelihoods),
                duty=self.duty_for(code, regions),
            )
            for code in ranked
        ]

    def _deciding_words(
        self, code: str, tokens: list[str], likelihoods: dict[str, dict[str, float]], most: int = 3
    ) -> tuple[str, ...]:
        others = [other for other in self._counts if other != code and self._documents[other]]
        margins = {}
        for token in dict.fromkeys(tokens):
            rival = max((likelihoods[other][token] for other in others), default=-math.inf)
            margin = likelihoods[code][token] - rival
            if margin > 0:
                margins[token] = margin
        return tuple(sorted(margins, key=lambda token: -margins[token])[:most])

    def duty_for(self, code: str, regions: Sequence[str]) -> Duty | None:
        """The duty-map entry for ``code`` in the first of ``regions`` that has one, the lead
        unit before the ones that assist (配合)."""
        for region in regions:
            entries = self._duties.get((code, region))
            if entries:
                return min(entries, key=lambda duty: duty.role != "lead")
        return None
