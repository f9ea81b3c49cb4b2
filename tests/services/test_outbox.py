"""The outbox never lets one message block the others (issue 17 §0): headers are one line, and a
message that fails for its own content is quarantined for the back office, the rest are sent."""

from __future__ import annotations

import datetime as dt

import pytest

from unisupport.incidents.models import Notification
from unisupport.incidents.notify import one_line, queue_mail, retry_quarantined, send_pending

pytestmark = pytest.mark.django_db

AT = dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC)


def test_a_subject_is_one_line_whatever_its_source():
    assert one_line("Sev A\r\nBcc: mallory@example.com\x00  down") == "Sev A Bcc: mallory@example.com down"
    assert len(one_line("x" * 1000)) == 300


def test_a_message_that_fails_for_its_own_content_is_quarantined_and_the_queue_goes_on(
    demo_orders, smtp_server
):
    from unisupport.accounts.models import Organisation

    contoso = Organisation.objects.get(name="Contoso SA")
    queue_mail(
        organisation_id=contoso.pk,
        recipients=["alice@example.com"],
        subject="Down\r\nBcc: mallory@example.com",
        body="a title with a line break",
        key="outbox-test:1",
        at=AT,
    )
    # A row written before this release, or by hand: an address the mail library refuses.
    broken = Notification.objects.create(
        organisation=contoso,
        recipient="dave@example.com\nBcc: mallory@example.com",
        subject="broken",
        body="-",
        message_id="<broken@test>",
        created_at=AT + dt.timedelta(seconds=1),
    )
    queue_mail(
        organisation_id=contoso.pk,
        recipients=["bob@vendor.test"],
        subject="after the broken one",
        body="-",
        key="outbox-test:2",
        at=AT + dt.timedelta(seconds=2),
    )
    assert send_pending() == 2
    assert [" ".join(m["Subject"].split()) for m in smtp_server.mailbox.messages] == [
        "Down Bcc: mallory@example.com",
        "after the broken one",
    ]
    assert all(m["Bcc"] is None for m in smtp_server.mailbox.messages)
    broken.refresh_from_db()
    assert broken.sent_at is None
    assert broken.failed_at is not None
    assert broken.error
    assert send_pending() == 0  # quarantined: not tried again on every pass
    assert retry_quarantined(ids=[broken.pk]) == 1
    assert Notification.objects.filter(pk=broken.pk, failed_at__isnull=True, sent_at__isnull=True).exists()
