"""Mail leaves through real SMTP (here to the local test server)."""

from django.core import mail


def test_mail_is_delivered_over_smtp_with_chinese_subject(smtp_server):
    sent = mail.send_mail(
        "政策推送：关于加强数字政府建设的实施意见",
        "您关注的政策已发布。",
        "shuzheng@localhost",
        ["reader@example.gov.cn"],
    )
    assert sent == 1
    [received] = smtp_server.received
    assert received.recipients == ["reader@example.gov.cn"]
    assert received.subject == "政策推送：关于加强数字政府建设的实施意见"
    assert "您关注的政策已发布" in received.body
