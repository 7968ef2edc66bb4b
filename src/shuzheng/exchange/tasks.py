"""The exchange's background jobs, run by ``shuzheng worker`` (which imports each app's
``tasks`` module). Each part keeps its jobs in its own module, imported here."""

from shuzheng.exchange.feed_tasks import deliver_exchange_feed, prune_exchange_feed  # noqa: F401
from shuzheng.exchange.log_tasks import chain_message_log, seal_message_log  # noqa: F401
from shuzheng.exchange.request_tasks import remind_exchange_answers_due  # noqa: F401
