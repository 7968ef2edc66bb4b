"""WSGI entry point for production servers.

``application`` is the plain Django application. ``warm_application()`` is the same
application with the process warmed up first (:func:`warm_up`): Django loads the URLconf,
the translation catalogues and the search dictionary lazily, on the first request that needs
them, which made each web process's first answer take 10–14 s on the 2-core test machine
(docs/benchmarks.md, "First request"). ``shuzheng serve`` runs gunicorn on
``shuzheng.wsgi:warm_application()`` with ``--preload``, so the master does this once and
every worker is forked warm.
"""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuzheng.settings")
application = get_wsgi_application()

logger = logging.getLogger(__name__)


def warm_up() -> None:
    """Load now what the first request would load: every view and API module (through the
    URLconf), the catalogue of each language, and the search segmenter's dictionary. The
    database connections it opened are closed, so forked workers open their own."""
    # Imported here: the modules need the apps, which get_wsgi_application() has just set up.
    from django.conf import settings
    from django.db import DatabaseError, connections
    from django.urls import get_resolver
    from django.utils import translation

    from shuzheng.search.services import segmenter

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            translation.gettext("Search")
    try:
        segmenter()
    except DatabaseError:
        # A database not migrated yet: the first search loads the dictionary instead.
        logger.warning("the search dictionary was not preloaded", exc_info=True)
    finally:
        connections.close_all()


def warm_application():
    """The application, warmed up (gunicorn calls this factory: ``module:warm_application()``).
    The exchange's message log is buffered in the server's processes (issue 16, point 3:
    logging must not halve the data API's throughput)."""
    from shuzheng.exchange.log_services import buffer_calls

    warm_up()
    buffer_calls()
    return application
