"""PostgreSQL full-text backend: production (issue 4, item 3).

Migration 0002 adds ``search_entry.document``: a stored tsvector built with the ``simple``
configuration over the pre-segmented columns (title/heading weight A, domain terms B, body
D) and a GIN index. ``simple`` only lower-cases, so the tokens stay exactly the ones the
segmenter made (no stemming, no stop words of its own). Words become ``plainto_tsquery``
(all tokens), phrases ``phraseto_tsquery`` (tokens joined by ``<->``), exclusions ``!!``.
Relevance is ``ts_rank_cd`` (cover density, normalised by document length).
"""

from __future__ import annotations

from shuzheng.search.backends.base import FullText, MatchSql
from shuzheng.search.query import MatchPlan, TokenGroup

#: ts_rank_cd weights for {D, C, B, A}: body, (unused), domain terms, title/heading.
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
#: ts_rank_cd normalisation 1: divide by 1 + log(document length).
RANK_NORMALISATION = 1


class PostgresFullText(FullText):
    vendor = "postgresql"

    def prepare(self, cursor) -> None:
        """Nothing per connection: the server's own settings (docs/operations.md) apply."""

    def match_sql(self, plan: MatchPlan, *, ranked: bool) -> MatchSql:
        query, params = tsquery(plan)
        source = f"search_entry e CROSS JOIN ({query}) AS q(query)"
        score = (
            f"ts_rank_cd('{RANK_WEIGHTS}', e.document, q.query, {RANK_NORMALISATION})"
            if ranked
            else "0.0"
        )
        return MatchSql(source, score, params, "e.document @@ q.query", [])


def tsquery(plan: MatchPlan) -> tuple[str, list]:
    """SELECT of one tsquery: the groups AND-ed (&&), exclusions negated (!!)."""
    parts: list[str] = []
    params: list[str] = []
    for group in plan.groups:
        sql, group_params = _group(group)
        parts.append(sql)
        params += group_params
    if plan.excluded:
        excluded = []
        for group in plan.excluded:
            sql, group_params = _group(group)
            excluded.append(sql)
            params += group_params
        parts.append("!!(" + " || ".join(excluded) + ")")
    return "SELECT " + " && ".join(parts), params


#: The tsvector weight of each word scope (migration 0002: title A, body D).
SCOPE_WEIGHTS = {"title": "A", "body": "D"}


def _group(group: TokenGroup) -> tuple[str, list[str]]:
    if group.scope:
        sql, params = "to_tsquery('simple', %s)", [_weighted_query(group)]
    else:
        text = " ".join(group.tokens)
        sql = "phraseto_tsquery('simple', %s)" if group.phrase else "plainto_tsquery('simple', %s)"
        params = [text]
    if group.term:
        sql = f"({sql} || plainto_tsquery('simple', %s))"
        params.append(group.term)
    for alternative in group.alternatives:
        alternative_sql, alternative_params = _group(alternative)
        sql = f"({sql} || {alternative_sql})"
        params += alternative_params
    return sql, params


def _weighted_query(group: TokenGroup) -> str:
    """The tsquery text of a scoped group: each token restricted to its column's weight
    (``'数字':A & '政府':A``; a phrase joined by ``<->``). Tokens hold only letters, digits
    and CJK (segmentation), and each is quoted as a tsquery literal besides."""
    weight = SCOPE_WEIGHTS[group.scope]
    joiner = " <-> " if group.phrase else " & "
    return joiner.join("'" + token.replace("'", "''") + "':" + weight for token in group.tokens)
