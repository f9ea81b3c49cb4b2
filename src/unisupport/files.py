"""Files people upload (deliverables, milestone evidence, an incident's attachments): stored once by
their SHA-256, outside the web root (``UNISUPPORT_FILES_DIR``), and read back only through the
selector of what they belong to, which checks who asks."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.http import FileResponse


def stored_path(sha256: str) -> Path:
    """Return where the file of SHA-256 ``sha256`` is stored (outside the web root)."""
    return Path(settings.UNISUPPORT_FILES_DIR) / "deliverables" / sha256[:2] / sha256


def store(data: bytes) -> str:
    """Return the SHA-256 of ``data``, stored once under it (written aside, then renamed into place)."""
    digest = hashlib.sha256(data).hexdigest()
    target = stored_path(digest)
    if target.exists():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, target)
    return digest


def file_download(path: Path, *, name: str, content_type: str) -> FileResponse:
    """Return the stored file at ``path`` as a download named ``name``: never shown inline, its type
    never sniffed (a log that looks like HTML stays a log)."""
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"  # opened anyway: it runs nothing
    return response
