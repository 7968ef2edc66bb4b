"""Chinese word segmentation for the policy library index and its queries.

Pure module (no Django). Both backends store *pre-segmented* text: space-separated tokens
that SQLite FTS5's ``unicode61`` tokenizer and PostgreSQL's ``simple`` configuration take as
they are, so the same function decides what a term is for the index and for the query
(issue 4, item 1: "multi-character terms match as terms, single characters do not flood").

Why rjieba and not jieba: same dictionary and the same cuts on the sample gazette, about
20 times faster (docs/search.md, "Segmentation").

The token stream is built in three steps:

1. doc numbers (宁政发〔2023〕17号, any bracket variant; the one grammar of
   ``shuzheng.text.doc_numbers``) become the tokens of their issuer code plus one
   ``<year>n<serial>`` token, so a number typed as plain words matches;
2. rjieba's precise cut (HMM off: an unknown word must cut the same way in a short query
   and in a long paragraph) with the domain dictionary loaded; runs of unknown single
   characters are joined into one token (免/申/即/享 → 免申即享), other single CJK
   characters and stop words are dropped;
3. each word is replaced by its *finest cover* of dictionary sub-words of two or more
   characters (自治区财政厅 → 自治区 财政厅, 政务服务平台 → 政务 服务 平台); words with no such
   cover stay whole (一体化, 一网通办). The stream therefore has no overlapping tokens, and a
   quoted phrase is exactly a run of adjacent tokens in both backends.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import lru_cache

import rjieba

from shuzheng.text.characters import CJK_IDEOGRAPHS
from shuzheng.text.doc_numbers import find_doc_numbers

#: Characters that never start or join a token on their own: function words and the
#: one-character words of administrative prose.
STOP_CHARS = frozenset(
    "的了和与及或在将对把被等各为是并由从向以于其之中上下有者所也而就都要按经该此其"
    "已给让使如若则但又再还更最很个这那些每"
)
#: Multi-character words too common in official documents to say anything in a query.
STOP_WORDS = frozenset({"关于", "进一步", "有关", "以及", "根据", "按照", "通过", "进行", "其他"})

_CJK_CHAR = re.compile(f"[{CJK_IDEOGRAPHS}]")
_WORD_CHARS = re.compile(f"[{CJK_IDEOGRAPHS}A-Za-z0-9]+")
_QUOTED_TERM = re.compile(f"“([{CJK_IDEOGRAPHS}A-Za-z0-9+]{{2,12}})”")


def doc_number_token(year: str | int, serial: str | int) -> str:
    """The one index token that stands for 〔year〕serial号, e.g. ``2023n17``."""
    return f"{int(year)}n{int(serial)}"


def quoted_terms(text: str) -> list[str]:
    """Short terms the documents themselves put in Chinese quotes (“一网通办”, “免申即享”):
    the library's own vocabulary, added to the domain dictionary (issue 4, item 1)."""
    return list(dict.fromkeys(_QUOTED_TERM.findall(text)))


def is_single_cjk(text: str) -> bool:
    return len(text) == 1 and _CJK_CHAR.fullmatch(text) is not None


class Segmenter:
    """rjieba plus the domain dictionary; one instance per process (see services).

    Thread-safe for reading; :meth:`add_terms` takes a lock because rjieba's dictionary is
    shared mutable state.
    """

    def __init__(self, terms: Iterable[str] = ()):
        self._jieba = rjieba.Jieba()
        self._lock = threading.Lock()
        self.terms: set[str] = set()
        self.add_terms(terms)

    def add_terms(self, terms: Iterable[str]) -> list[str]:
        """Add domain terms (unit names, quoted terms); returns the ones that were new."""
        new = [term for term in dict.fromkeys(_clean_term(t) for t in terms) if term]
        new = [term for term in new if term not in self.terms]
        if new:
            with self._lock:
                for term in new:
                    # A high frequency makes the precise cut keep the term whole.
                    self._jieba.add_word(term, 100000, None)
                    self.terms.add(term)
                self._fine_cover.cache_clear()
        return new

    # -- the token stream -------------------------------------------------------------

    def tokens(self, text: str) -> list[str]:
        """The index/query tokens of ``text`` in order (see the module docstring)."""
        tokens: list[str] = []
        position = 0
        for number in find_doc_numbers(text):
            tokens += self._plain_tokens(text[position : number.start])
            tokens += self._plain_tokens(number.code)
            tokens.append(doc_number_token(number.year, number.serial))
            position = number.end
        tokens += self._plain_tokens(text[position:])
        return tokens

    def as_term(self, text: str) -> str:
        """``text`` as a domain-term token when the whole of it is one, else ""."""
        cleaned = _clean_term(text)
        return cleaned if cleaned in self.terms else ""

    def domain_terms_in(self, text: str) -> list[str]:
        """The domain terms that occur in ``text``, each once, as single tokens."""
        return [term for term in dict.fromkeys(self._words(text)) if term in self.terms]

    def _plain_tokens(self, text: str) -> list[str]:
        tokens: list[str] = []
        for word in self._joined_words(text):
            tokens += self._fine_cover(word)
        return [token for token in tokens if token not in STOP_WORDS]

    def _words(self, text: str) -> list[str]:
        words: list[str] = []
        for run in _WORD_CHARS.findall(text.lower()):
            words += self._jieba.cut(run, False)
        return words

    def _joined_words(self, text: str) -> list[str]:
        """Precise-cut words with unknown single characters joined and stop chars dropped."""
        words: list[str] = []
        for run in _WORD_CHARS.findall(text.lower()):
            pending: list[str] = []
            for word in self._jieba.cut(run, False):
                if is_single_cjk(word) and word not in STOP_CHARS:
                    pending.append(word)
                    continue
                words += _joined(pending)
                pending = []
                if not is_single_cjk(word):
                    words.append(word)
            words += _joined(pending)
        return words

    @lru_cache(maxsize=200_000)  # noqa: B019 - one long-lived instance per process
    def _fine_cover(self, word: str) -> tuple[str, ...]:
        if len(word) <= 2 or not _CJK_CHAR.search(word):
            return (word,)
        pieces = {p for p in self._jieba.cut_for_search(word, False) if 2 <= len(p) < len(word)}
        best = _minimal_cover(word, pieces)
        return tuple(best) if best else (word,)


def _joined(singles: list[str]) -> list[str]:
    return ["".join(singles)] if len(singles) >= 2 else []


def _minimal_cover(word: str, pieces: set[str]) -> list[str] | None:
    """The fewest dictionary pieces that tile ``word`` exactly, or None."""
    best: list[list[str] | None] = [None] * (len(word) + 1)
    best[0] = []
    for end in range(1, len(word) + 1):
        for start in range(end):
            prefix = best[start]
            if prefix is None or word[start:end] not in pieces:
                continue
            if best[end] is None or len(prefix) + 1 < len(best[end]):
                best[end] = [*prefix, word[start:end]]
    return best[len(word)]


def _clean_term(term: str) -> str:
    return "".join(_WORD_CHARS.findall(term.lower()))
