"""The bounds of every number a request may carry (issue 9, point 6).

Pure module (no Django): the FilterSets, the API's parameter types and the search query
check numbers against these at the edge, so that no number too large for the database (an
SQLite or PostgreSQL ``bigint``) or too far from any real value reaches a query, and the
OpenAPI schema states the same bounds as ``minimum`` and ``maximum``.
"""

#: The years a document, a milestone or an assessment can be of: from the founding of the
#: People's Republic (the earliest documents in the library) to the end of the century.
YEAR_MIN = 1949
YEAR_MAX = 2100
#: The largest primary key: a ``BigAutoField`` is a signed 64-bit integer on both databases.
ID_MAX = 2**63 - 1
#: Page numbers of a list: far beyond any list's last page (50 rows a page: five million
#: rows), and small enough that the row offset never overflows.
PAGE_MAX = 100_000
#: Rows a caller may ask for on one API page (django-ninja's own cap).
PAGE_SIZE_MAX = 100
