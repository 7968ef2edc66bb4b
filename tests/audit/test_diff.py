from shuzheng.audit.diff import diff_rows


def test_rows_mark_changes_in_snapshot_order():
    rows = diff_rows({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4})
    assert [(r.field, r.before, r.after, r.changed) for r in rows] == [
        ("a", 1, 1, False),
        ("b", 2, 3, True),
        ("c", None, 4, True),
    ]
    assert not rows[2].in_before and rows[2].in_after


def test_creation_and_deletion_have_one_side_only():
    created = diff_rows(None, {"a": 1})
    assert created[0].changed and not created[0].in_before
    deleted = diff_rows({"a": 1}, None)
    assert deleted[0].changed and not deleted[0].in_after
    assert diff_rows(None, None) == []


def test_a_null_value_differs_from_a_missing_field():
    rows = diff_rows({"a": None}, {})
    assert rows[0].changed and rows[0].in_before and not rows[0].in_after
