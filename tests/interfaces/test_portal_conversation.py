"""An incident's conversation (RSP-6): comments from both sides, internal notes the customer never
sees, files checked by kind and size and served only to the incident's organisation and the vendor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.incident_support import FRIDAY_5PM_PARIS, OPERATOR, contoso_incident
from tests.interfaces.portal_support import signed_in
from unisupport.incidents import services
from unisupport.incidents.models import Attachment, Comment, TimelineEvent

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PCAP = b"\xd4\xc3\xb2\xa1" + b"\x00" * 60  # a little-endian libpcap header


@pytest.fixture
def incident(demo_orders):
    return contoso_incident(title="Mailboxes unreachable")


def test_rsp6_alice_comments_and_bob_answers_both_on_the_timeline(alice, bob, incident):
    signed_in(alice).post(f"/incidents/{incident.pk}/comments/", {"text": "Still failing at 10:05."})
    signed_in(bob).post(f"/incidents/{incident.pk}/comments/", {"text": "Looking at the transport logs."})
    assert [c.author_name for c in Comment.objects.filter(incident=incident)] == ["alice", "bob"]
    assert TimelineEvent.objects.filter(incident=incident, kind="commented").count() == 2
    page = signed_in(alice).get(f"/incidents/{incident.pk}/").text
    assert "Still failing at 10:05." in page
    assert "Looking at the transport logs." in page


def test_rsp6_an_internal_note_is_the_vendors_only(alice, bob, incident):
    signed_in(bob).post(
        f"/incidents/{incident.pk}/comments/", {"text": "Customer config is odd.", "internal": "on"}
    )
    assert Comment.objects.get().internal
    assert not TimelineEvent.objects.filter(incident=incident, kind="commented").exists()  # off the timeline
    assert "Customer config is odd." in signed_in(bob).get(f"/incidents/{incident.pk}/").text
    assert "Customer config is odd." not in signed_in(alice).get(f"/incidents/{incident.pk}/").text
    signed_in(alice).post(f"/incidents/{incident.pk}/comments/", {"text": "mine", "internal": "on"})
    assert Comment.objects.count() == 1  # a customer cannot write an internal note


def test_rsp6_the_read_only_viewer_may_read_but_not_write(vera, incident):
    client = signed_in(vera)
    assert client.get(f"/incidents/{incident.pk}/").status_code == 200
    assert client.post(f"/incidents/{incident.pk}/comments/", {"text": "hi"}).status_code == 403
    upload = SimpleUploadedFile("shot.png", PNG, content_type="image/png")
    assert client.post(f"/incidents/{incident.pk}/files/", {"file": upload}).status_code == 403
    assert not Comment.objects.exists()
    assert not Attachment.objects.exists()


def test_rsp6_a_file_is_served_to_contoso_and_the_vendor_and_404_to_charlie(alice, bob, charlie, incident):
    upload = SimpleUploadedFile("screenshot.png", PNG, content_type="image/png")
    signed_in(alice).post(f"/incidents/{incident.pk}/files/", {"file": upload})
    attached = Attachment.objects.get()
    assert TimelineEvent.objects.filter(incident=incident, kind="file-attached").exists()
    url = f"/incidents/{incident.pk}/files/{attached.number}/"
    for person in (alice, bob):
        response = signed_in(person).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PNG
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
    assert signed_in(charlie).get(url).status_code == 404
    assert signed_in(charlie).post(f"/incidents/{incident.pk}/comments/", {"text": "x"}).status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 64),  # not on the list
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("trace.pcap", b"not a trace at all"),  # not what its name says
        ("empty.log", b""),
    ],
)
def test_rsp6_a_file_not_on_the_list_or_not_what_it_says_is_refused_and_nothing_stored(
    alice, incident, name, data
):
    upload = SimpleUploadedFile(name, data)
    response = signed_in(alice).post(f"/incidents/{incident.pk}/files/", {"file": upload}, follow=True)
    assert not Attachment.objects.exists()
    assert name in response.text  # the refusal names the file …
    assert 'class="message error"' in response.text  # … as an error


def test_a_file_over_the_policy_limit_is_refused(alice, incident, monkeypatch):
    from dataclasses import replace

    from unisupport.incidents.services import conversation

    small = replace(conversation.current_policy(), incident_attachment_max_bytes=10)
    monkeypatch.setattr(conversation, "current_policy", lambda: small)
    upload = SimpleUploadedFile("big.log", b"x" * 11)
    response = signed_in(alice).post(f"/incidents/{incident.pk}/files/", {"file": upload}, follow=True)
    assert not Attachment.objects.exists()
    assert "at most 10 are accepted" in response.text


def _asked(incident, what="network trace"):
    at = FRIDAY_5PM_PARIS + dt.timedelta(hours=1)
    services.request_rca(scope=OPERATOR, incident_id=incident.pk, via="csam", at=at)
    return services.ask_rca_document(scope=OPERATOR, incident_id=incident.pk, what=what, at=at)


def test_rca5_alice_answers_an_asked_document_with_a_file_and_the_rca_links_it(alice, bob, charlie, incident):
    doc = _asked(incident)
    page = signed_in(alice).get(f"/incidents/{incident.pk}/").text
    assert f'id="answer-{doc.pk}"' in page  # a file input for the document asked
    upload = SimpleUploadedFile("trace.pcap", PCAP, content_type="application/octet-stream")
    signed_in(alice).post(f"/incidents/{incident.pk}/files/", {"file": upload, "answers": str(doc.pk)})
    doc.refresh_from_db()
    attached = Attachment.objects.get()
    assert doc.attachment == attached
    assert doc.provided_at is not None
    provided = TimelineEvent.objects.get(incident=incident, kind="rca-document-provided")
    assert provided.rule == "RCA-5"
    assert provided.data["file"] == attached.number
    for person in (alice, bob):
        page = signed_in(person).get(f"/incidents/{incident.pk}/").text
        assert f'href="/incidents/{incident.pk}/files/{attached.number}/">trace.pcap</a>' in page
    assert signed_in(charlie).get(f"/incidents/{incident.pk}/files/{attached.number}/").status_code == 404


def test_rca5_a_file_for_a_document_of_another_incident_is_refused_and_nothing_stored(alice, incident):
    other = contoso_incident(title="Another one")
    doc = _asked(other)
    upload = SimpleUploadedFile("trace.pcap", PCAP, content_type="application/octet-stream")
    response = signed_in(alice).post(
        f"/incidents/{incident.pk}/files/", {"file": upload, "answers": str(doc.pk)}, follow=True
    )
    assert f"no RCA document #{doc.pk} on incident #{incident.pk}" in response.text
    assert not Attachment.objects.exists()
    doc.refresh_from_db()
    assert doc.provided_at is None
    response = signed_in(alice).post(
        f"/incidents/{incident.pk}/files/", {"file": upload, "answers": "two"}, follow=True
    )
    assert "not an RCA document number" in response.text
    assert not Attachment.objects.exists()


def test_rca5_a_second_file_for_a_provided_document_keeps_the_first_and_records_nothing_more(alice, incident):
    doc = _asked(incident)
    for name in ("first.pcap", "second.pcap"):
        upload = SimpleUploadedFile(name, PCAP, content_type="application/octet-stream")
        signed_in(alice).post(f"/incidents/{incident.pk}/files/", {"file": upload, "answers": str(doc.pk)})
    doc.refresh_from_db()
    assert doc.attachment.name == "first.pcap"
    assert TimelineEvent.objects.filter(incident=incident, kind="rca-document-provided").count() == 1
