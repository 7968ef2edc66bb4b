"""What the audit trail's codes mean, in words (issue 14, "Raw codes": the trail showed
``orgs.unit.create``, ``search.replace_document_entries``, ``orgs.unitgroup``).

Events store the code (``AuditEvent.action``, ``object_type``: nothing stored rendered); pages
and exports show the label, translated at display. Every action a service records has its
label here: ``tests/audit/test_action_labels.py`` walks the ``record_change`` calls of the
source and fails on a code without one, so a new action is named when it is added.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    # Django admin (shuzheng.admin_classes)
    "admin.add": _("Added in the administration"),
    "admin.change": _("Corrected in the administration"),
    "admin.delete": _("Deleted in the administration"),
    # accounts
    "accounts.login": _("Signed in"),
    "accounts.login_failed": _("Sign-in failed"),
    "accounts.login_delayed": _("Sign-in delayed after failures"),
    "accounts.logout": _("Signed out"),
    "accounts.change_password": _("Password changed"),
    "accounts.reset_password": _("Password reset"),
    "accounts.change_role": _("Role changed"),
    "accounts.create_user": _("Account created"),
    "accounts.change_user": _("Account changed"),
    "accounts.deactivate_user": _("Account deactivated"),
    "accounts.reactivate_user": _("Account reactivated"),
    "accounts.create_token": _("API token created"),
    "accounts.revoke_token": _("API token revoked"),
    # orgs (the registry loader and the admin: orgs.<model>.<verb>)
    "orgs.region.create": _("Region created"),
    "orgs.region.update": _("Region changed"),
    "orgs.region.delete": _("Region deleted"),
    "orgs.unit.create": _("Unit created"),
    "orgs.unit.update": _("Unit changed"),
    "orgs.unit.delete": _("Unit deleted"),
    "orgs.unitgroup.create": _("Unit group created"),
    "orgs.unitgroup.update": _("Unit group changed"),
    "orgs.unitgroup.delete": _("Unit group deleted"),
    # documents
    "documents.ingest": _("Document ingested"),
    "documents.new_version": _("New version of a document ingested"),
    "documents.set_topics": _("Topics of a document changed"),
    "documents.queue_ingest": _("Upload queued for ingestion"),
    "documents.finish_ingest": _("Queued ingestion finished"),
    # search
    "search.replace_document_entries": _("Search index entries of a document replaced"),
    "search.delete_document_entries": _("Search index entries of a document removed"),
    "search.rebuild": _("Search index rebuilt"),
    # subscriptions
    "subscriptions.create": _("Subscription created"),
    "subscriptions.update": _("Subscription changed"),
    "subscriptions.delete": _("Subscription deleted"),
    "subscriptions.save_profile": _("Enterprise profile saved"),
    # notifications
    "notifications.add_webhook": _("Webhook added"),
    "notifications.delete_webhook": _("Webhook deleted"),
    "notifications.enable_webhook": _("Webhook enabled"),
    "notifications.disable_webhook": _("Webhook disabled"),
    "notifications.webhook_refused": _("Webhook address refused"),
    "notifications.delivery_dead": _("Delivery given up after retries"),
    "notifications.set_email_enabled": _("Email notices switched"),
    # tasks (the ledger)
    "tasks.create": _("Task entered by hand"),
    "tasks.record_document_tasks": _("Key tasks of a document recorded"),
    "tasks.update_settings": _("Task settings changed"),
    "tasks.assign": _("Task assigned (交办)"),
    "tasks.undertake": _("Task accepted (承办)"),
    "tasks.report": _("Progress reported (反馈)"),
    "tasks.claim": _("Completion claimed (申请办结)"),
    "tasks.close": _("Task closed (办结)"),
    "tasks.reject": _("Completion claim rejected"),
    "tasks.decompose": _("Task split into sub-tasks"),
    "tasks.send_due_reminders": _("Due reminders sent (催办)"),
    "tasks.comment": _("Comment on a task"),
    "tasks.watch": _("Task watched"),
    "tasks.unwatch": _("Task no longer watched"),
    "tasks.request_extension": _("Extension requested (延期申请)"),
    "tasks.approve_extension": _("Extension approved"),
    "tasks.refuse_extension": _("Extension refused"),
    "tasks.save_filter": _("Ledger filter saved"),
    "tasks.delete_filter": _("Saved ledger filter deleted"),
    # dashboard
    "dashboard.save_rules": _("Assessment rules saved"),
    # catalog (政务数据资源目录)
    "catalog.register": _("Data resource registered"),
    "catalog.update": _("Data resource edited"),
    "catalog.change_grade": _("Data grade changed"),
    "catalog.submit": _("Data resource submitted for review"),
    "catalog.publish": _("Data resource published"),
    "catalog.return": _("Data resource returned to its provider"),
    "catalog.withdraw": _("Data resource withdrawn"),
    "catalog.add_distribution": _("Distribution added to a data resource"),
    "catalog.download_distribution": _("Distribution of a data resource downloaded"),
    # trust (电子印章)
    "trust.create_root": _("Platform certification authority created"),
    "trust.create_seal": _("Electronic seal created"),
    "trust.revoke_seal": _("Electronic seal revoked"),
    "trust.publish_crl": _("Revocation list published"),
    "trust.sign": _("Signed with an electronic seal"),
    "trust.save_licence_type": _("Licence type saved"),
    "trust.issue_licence": _("Electronic licence issued"),
    "trust.change_licence_status": _("Electronic licence status changed"),
    "trust.bind_holder": _("Licence holder linked to an account"),
    "catalog.import": _("Catalog workbook imported"),
    "catalog.queue_import": _("Catalog workbook queued for import"),
    "catalog.add_category": _("Resource category added by an import"),
    "catalog.update_distribution": _("Distribution of a data resource changed"),
    "catalog.delete_distribution": _("Distribution removed from a data resource"),
    "catalog.create_quality_check": _("Data-quality check declared"),
    "catalog.update_quality_check": _("Data-quality check edited"),
    "catalog.delete_quality_check": _("Data-quality check deleted"),
    "catalog.queue_quality_run": _("Data-quality run queued"),
    "catalog.quality_run": _("Data-quality checks run"),
    "catalog.download_failing_rows": _("Failing rows of a quality run downloaded"),
    # hotline (12345)
    "hotline.load_catalog": _("Hotline service catalog loaded"),
    "hotline.submit": _("Hotline request received"),
    "hotline.dispatch": _("Hotline request dispatched"),
    "hotline.accept": _("Hotline request accepted by the unit"),
    "hotline.return": _("Hotline request returned by the unit"),
    "hotline.open_dispute": _("Hotline dispute opened"),
    "hotline.decide_dispute": _("Hotline dispute decided"),
    "hotline.reply": _("Hotline request replied"),
    "hotline.call_back": _("Hotline callback recorded"),
    "hotline.reopen": _("Hotline request reopened"),
    "hotline.supervise": _("Overdue hotline request put under supervision"),
    "hotline.read_caller": _("Hotline caller's personal information read"),
    "hotline.read_attachment": _("Hotline request's attachment downloaded"),
    "hotline.save_knowledge": _("Hotline knowledge entry saved"),
    "hotline.review_knowledge": _("Hotline knowledge entry reviewed"),
    "hotline.withdraw_knowledge": _("Hotline knowledge entry withdrawn"),
    "hotline.merge": _("Hotline request merged under a master request"),
    "hotline.unmerge": _("Hotline request split from its master request"),
    "hotline.follow_master": _("Merged hotline request followed its master"),
    # ecocomp (生态保护补偿)
    "ecocomp.create_rule_set": _("Allocation rule set created"),
    "ecocomp.review_rule_set": _("Allocation rule set reviewed"),
    "ecocomp.import_factors": _("County factors imported"),
    "ecocomp.set_factor": _("County factor set"),
    "ecocomp.run": _("Allocation run"),
    "ecocomp.what_if": _("What-if allocation run"),
    "ecocomp.approve_run": _("Allocation run approved"),
    "ecocomp.finalise_run": _("Allocation made final"),
    "ecocomp.finalise_run_with_gaps": _("Allocation made final with missing data (override)"),
    "ecocomp.create_section": _("Monitoring section created"),
    "ecocomp.import_monitoring": _("Monitoring data imported"),
    "ecocomp.create_agreement": _("Basin agreement created"),
    "ecocomp.settle": _("Settlement statement made"),
    "ecocomp.evaluate_counties": _("Counties' compensation duties evaluated"),
    # exchange (共享交换)
    "exchange.publish_table": _("Resource data published to the exchange"),
    "exchange.rows_changed": _("Shared data rows changed"),
    "exchange.token_create": _("Data API access token created"),
    "exchange.token_revoke": _("Data API access token revoked"),
    "exchange.create_request": _("Data request created"),
    "exchange.update_request": _("Data request edited"),
    "exchange.submit_request": _("Data request submitted"),
    "exchange.route_request": _("Data demand routed to a provider"),
    "exchange.approve_request": _("Data request approved"),
    "exchange.refuse_request": _("Data request refused"),
    "exchange.return_request": _("Data request returned"),
    "exchange.issue_grant": _("Data access granted"),
    "exchange.revoke_grant": _("Data access grant revoked"),
    "exchange.raise_objection": _("Data objection raised"),
    "exchange.answer_objection": _("Data objection answered"),
    "exchange.feed_subscribe": _("Change feed subscribed"),
    "exchange.feed_unsubscribe": _("Change feed subscription deleted"),
    "exchange.feed_pause": _("Change feed subscription paused"),
    "exchange.feed_resume": _("Change feed subscription resumed"),
    "exchange.feed_redeliver": _("Dead letter of the change feed redelivered"),
    "exchange.feed_dead_letter": _("Change feed delivery became a dead letter"),
}

#: Object types that are no model (a model's type is named by its ``verbose_name``).
OBJECT_TYPE_LABELS = {
    "search.document_entries": _("Search index entries of a document"),
    "search.index": _("Search index"),
    "tasks.reminders": _("Reminders"),
}


def action_label(code: str) -> str:
    """The words for an action code; an unknown code (an old event of a renamed action) is
    shown as it is stored rather than hidden."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def object_type_label(code: str) -> str:
    """The words for an object type: the model's verbose name for ``app_label.model``, the
    table above for the others, the code itself for a type no longer known."""
    if code in OBJECT_TYPE_LABELS:
        return str(OBJECT_TYPE_LABELS[code])
    app_label, _dot, model_name = code.partition(".")
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return code
    return str(model._meta.verbose_name)
