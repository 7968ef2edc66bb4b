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
   and in a long paragraph) with the domain dictionary loaded, of each run of word
   characters — every distinct line of a batch of texts cut once, all its runs in one
   call (:meth:`Segmenter.prepare`; issue 13, item 3); runs of unknown single
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

from shuzheng.text.characters import CJK_IDEOGRAPHS, DIGITS
from shuzheng.text.doc_numbers import find_doc_numbers

#: Characters that never start or join a token on their own: function words and the
#: one-character words of administrative prose.
STOP_CHARS = frozenset(
    "的了和与及或在将对把被等各为是并由从向以于其之中上下有者所也而就都要按经该此其"
    "已给让使如若则但又再还更最很个这那些每"
)
#: Multi-character words too common in official documents to say anything in a query.
STOP_WORDS = frozenset({"关于", "进一步", "有关", "以及", "根据", "按照", "通过", "进行", "其他"})

#: Lines a segmenter keeps cut (then it starts again).
MAX_CACHED_LINES = 100_000

_CJK_CHAR = re.compile(f"[{CJK_IDEOGRAPHS}]")
#: A doc number needs a bracketed year: without a digit a text holds none.
_MAY_HOLD_NUMBER = re.compile(f"[{DIGITS}]")
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
        #: The terms in the order they were added: ``added[n:]`` is what a cut made when the
        #: dictionary held ``n`` terms may have missed (a term changes only the cut of a
        #: text that contains it).
        self.added: list[str] = []
        #: Each line cut so far: its words and its tokens.
        self._lines: dict[str, tuple[tuple[str, ...], ...]] = {}
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
                    self.added.append(term)
                self._fine_cover.cache_clear()
                self._lines.clear()
        return new

    # -- the token stream -------------------------------------------------------------

    def tokens(self, text: str) -> list[str]:
        """The index/query tokens of ``text`` in order (see the module docstring)."""
        lines = text.split("\n")
        cut = self._cut_lines(lines)
        tokens: list[str] = []
        for line in lines:
            tokens += cut[line][1]
        return tokens

    def as_term(self, text: str) -> str:
        """``text`` as a domain-term token when the whole of it is one, else ""."""
        cleaned = _clean_term(text)
        return cleaned if cleaned in self.terms else ""

    def domain_terms_in(self, text: str) -> list[str]:
        """The domain terms that occur in ``text``, each once, as single tokens."""
        lines = text.split("\n")
        cut = self._cut_lines(lines)
        words = (word for line in lines for word in cut[line][0])
        return [term for term in dict.fromkeys(words) if term in self.terms]

    def prepare(self, texts: Iterable[str]) -> None:
        """Cut every line of ``texts`` not cut yet, all in one call of the segmenter, for
        :meth:`tokens` and :meth:`domain_terms_in` to reuse (issue 13, item 3): a document
        and its sections share their lines, and rjieba's call costs more than its cut."""
        self._cut_lines([line for text in texts for line in text.split("\n")])

    def _cut_lines(self, lines: list[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
        """Each line's words (for the domain terms) and tokens. Lines are the unit kept:
        no doc number and no run of word characters crosses one, so a text's tokens are
        its lines' tokens one after the other."""
        cache = self._lines
        found: dict[str, tuple[tuple[str, ...], ...]] = {}
        new: list[str] = []
        for line in lines:
            if line in found:
                continue
            known = cache.get(line)
            if known is None:
                new.append(line)
                found[line] = ()
            else:
                found[line] = known
        if not new:
            return found
        shapes = [(_WORD_CHARS.findall(line.lower()), self._token_pieces(line)) for line in new]
        runs = self._cut_runs(
            [run for words, pieces in shapes for run in (*words, *pieces) if type(run) is str]
        )
        if len(cache) + len(new) > MAX_CACHED_LINES:
            cache.clear()
        for line, (words, pieces) in zip(new, shapes, strict=True):
            tokens: list[str] = []
            for piece in pieces:
                if type(piece) is str:
                    tokens += runs[piece][1]
                else:
                    tokens.append(str(piece))
            line_words = tuple(word for run in words for word in runs[run][0])
            found[line] = cache[line] = (line_words, tuple(tokens))
        return found

    def _token_pieces(self, text: str) -> list[str]:
        """The runs of word characters :meth:`tokens` cuts, with the doc numbers' index
        tokens (:class:`_NumberToken`) in their places."""
        if not _MAY_HOLD_NUMBER.search(text):
            return _WORD_CHARS.findall(text.lower())
        pieces: list[str] = []
        position = 0
        for number in find_doc_numbers(text):
            pieces += _WORD_CHARS.findall(text[position : number.start].lower())
            pieces += _WORD_CHARS.findall(number.code.lower())
            pieces.append(_NumberToken(doc_number_token(number.year, number.serial)))
            position = number.end
        pieces += _WORD_CHARS.findall(text[position:].lower())
        return pieces

    def _cut_runs(self, runs: list[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
        """The words and tokens of each run, all cut in one call: joined by newlines,
        which rjieba never joins to a word, so the words between two newlines are exactly
        what cutting that run alone gives (tests/search/test_segmentation.py)."""
        distinct = list(dict.fromkeys(runs))
        if not distinct:
            return {}
        words: list[list[str]] = [[]]
        for word in self._jieba.cut("\n".join(distinct), False):
            if word == "\n":
                words.append([])
            else:
                words[-1].append(word)
        if len(words) != len(distinct):  # never seen; cut each run alone rather than guess
            words = [self._jieba.cut(run, False) for run in distinct]
        return {
            run: (tuple(run_words), self._run_tokens(run_words))
            for run, run_words in zip(distinct, words, strict=True)
        }

    def _run_tokens(self, words: list[str]) -> tuple[str, ...]:
        """A run's tokens from its words: unknown single characters joined, other single
        CJK characters dropped, each word replaced by its finest cover, stop words out."""
        joined: list[str] = []
        pending: list[str] = []
        for word in words:
            if len(word) == 1 and word not in STOP_CHARS and _CJK_CHAR.match(word):
                pending.append(word)
                continue
            if len(pending) >= 2:
                joined.append("".join(pending))
            pending = []
            if len(word) != 1 or not _CJK_CHAR.match(word):
                joined.append(word)
        if len(pending) >= 2:
            joined.append("".join(pending))
        tokens: list[str] = []
        for word in joined:
            tokens += self._fine_cover(word)
        return tuple(token for token in tokens if token not in STOP_WORDS)

    @lru_cache(maxsize=200_000)  # noqa: B019 - one long-lived instance per process
    def _fine_cover(self, word: str) -> tuple[str, ...]:
        if len(word) <= 2 or not _CJK_CHAR.search(word):
            return (word,)
        pieces = {p for p in self._jieba.cut_for_search(word, False) if 2 <= len(p) < len(word)}
        best = _minimal_cover(word, pieces)
        return tuple(best) if best else (word,)


class _NumberToken(str):
    """A doc number's index token among the runs :meth:`Segmenter.tokens` cuts."""


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
