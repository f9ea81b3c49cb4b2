"""Files attached to an incident's conversation: logs, traces, screenshots, documents (RSP-6, RCA-5).

What may be attached is an allow-list checked by the name's extension *and* the first bytes
(``domain.deliverables.check_file``): a trace named .pcap must start as one does; text (logs, JSON,
XML, HAR) must read as UTF-8. Executables, HTML and SVG (which a browser would run) are not on the
list. The size limit is the policy's ``incident_attachment_max_bytes`` (a Product rule).
"""

from __future__ import annotations

from unisupport.domain.deliverables import KINDS as DELIVERABLE_KINDS
from unisupport.domain.deliverables import Kind, check_file

_TEXT = None
KINDS: dict[str, Kind] = {
    **{k: DELIVERABLE_KINDS[k] for k in ("pdf", "docx", "xlsx", "pptx", "zip", "png", "jpg", "jpeg", "txt", "csv")},
    "gif": Kind("image/gif", (b"GIF87a", b"GIF89a")),
    "log": Kind("text/plain; charset=utf-8", _TEXT),
    "json": Kind("application/json", _TEXT),
    "xml": Kind("application/xml", _TEXT),
    "har": Kind("application/json", _TEXT),
    # Network traces: classic pcap (either byte order, micro- or nanosecond) and pcapng.
    "pcap": Kind("application/vnd.tcpdump.pcap", (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")),
    "pcapng": Kind("application/octet-stream", (b"\x0a\x0d\x0d\x0a",)),
}  # fmt: skip


def check_attachment(name: str, head: bytes, *, size: int, max_bytes: int) -> tuple[str, str]:
    """Return the safe name and content type of a file that may be attached to an incident, else
    raise InvalidInput naming ``file`` (empty, too large, not on the list, not what its name says)."""
    return check_file(name, head, size=size, max_bytes=max_bytes, kinds=KINDS)
