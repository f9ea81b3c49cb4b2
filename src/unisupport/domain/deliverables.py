"""Deliverables of a delivery: the files it leaves (recordings, reports), what they may be (DEL-7, §2.7).

A file is accepted by its name's extension *and* its first bytes: a report named .pdf must start
as a PDF does, a recording named .mp4 as an MP4 does. Text files must read as UTF-8 without NUL
bytes. Nothing here touches a disk: the service stores what this accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop

# DEL-7, §2.7: said wherever a deliverable is listed or downloaded.
NOTICE = gettext_noop(
    "Deliverables are for your organisation's internal use: they may not be redistributed outside it "
    "(DEL-7, §2.7)."
)


@dataclass(frozen=True, slots=True)
class Kind:
    """An accepted kind of file: its content type and how its first bytes begin (None: text)."""

    content_type: str
    magic: tuple[bytes, ...] | None
    offset: int = 0


_ZIP = (b"PK\x03\x04",)
_ISO_MEDIA = (b"ftyp",)  # MP4, M4A: the box type at byte 4
KINDS: dict[str, Kind] = {
    "pdf": Kind("application/pdf", (b"%PDF-",)),
    "docx": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "pptx": Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    "zip": Kind("application/zip", _ZIP),
    "png": Kind("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    "mp4": Kind("video/mp4", _ISO_MEDIA, 4),
    "m4a": Kind("audio/mp4", _ISO_MEDIA, 4),
    "webm": Kind("video/webm", (b"\x1a\x45\xdf\xa3",)),
    "txt": Kind("text/plain; charset=utf-8", None),
    "csv": Kind("text/csv; charset=utf-8", None),
    "md": Kind("text/markdown; charset=utf-8", None),
}


def safe_name(name: str) -> str:
    """Return the file's base name without a path or control characters, at most 200 characters."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    cleaned = "".join(c for c in base if ord(c) >= 32 and c not in '"<>|:*?').strip().strip(".")
    return cleaned[-200:]


def check_file(
    name: str, head: bytes, *, size: int, max_bytes: int, kinds: dict[str, Kind] | None = None
) -> tuple[str, str]:
    """Return the safe name and the content type of a file that may be a deliverable, else raise
    InvalidInput naming ``file``: empty, too large, of a kind not accepted, or not what its name says.

    ``head`` is the file's first bytes (at least 16 when it has them; all of a text file).
    """
    clean = safe_name(name)
    if not clean:
        raise InvalidInput("file", Message(gettext_noop("a file needs a name, got {name!r}"), name=name))
    if size <= 0:
        raise InvalidInput("file", Message(gettext_noop("{name} is empty"), name=clean))
    if size > max_bytes:
        raise InvalidInput(
            "file",
            Message(
                gettext_noop("{name} is {size} bytes: at most {limit} are accepted"),
                name=clean,
                size=size,
                limit=max_bytes,
            ),
        )
    accepted = KINDS if kinds is None else kinds
    extension = clean.rsplit(".", 1)[-1].lower() if "." in clean else ""
    kind = accepted.get(extension)
    if kind is None:
        raise InvalidInput(
            "file",
            Message(
                gettext_noop("{name}: only {kinds} files are accepted"),
                name=clean,
                kinds=", ".join(sorted(accepted)),
            ),
        )
    if kind.magic is None:
        if b"\x00" in head or not _utf8(head):
            raise InvalidInput("file", Message(gettext_noop("{name} is not a UTF-8 text file"), name=clean))
    elif not any(head[kind.offset : kind.offset + len(m)] == m for m in kind.magic):
        raise InvalidInput(
            "file",
            Message(gettext_noop("{name} is not a {extension} file"), name=clean, extension=extension),
        )
    return clean, kind.content_type


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the head is still text.
        return exc.start >= len(data) - 3
    return True
