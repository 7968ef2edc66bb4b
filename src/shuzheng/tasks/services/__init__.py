"""Use cases of key tasks; the only place that writes KeyTask and its rows.

One module per concern, each imported by its own path (nothing is re-exported here):

* ``recording``: a document's task tables become tasks (the ingest step calls it);
* ``supervision``: the cycle (GLOSSARY: 交办 assign, 承办 undertake, 反馈 report, 申请办结 claim,
  办结 close, reject, decompose) and the hand-entered tasks and their settings;
* ``lights``: the stored status lights, refreshed by every write and by the scheduled job;
* ``reminders``: 催办, the reminders before and after due dates;
* ``notices``: the notifications the cycle and the reminders send to a unit's staff.

Every step runs in one transaction, locks the task row, writes the audit trail with
``obj=task`` (the task page's timeline reads it back), and refuses invalid steps with
:class:`~shuzheng.tasks.services.supervision.TaskActionError`.
"""
