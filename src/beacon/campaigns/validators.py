"""Checks on files the campaign team uploads to a toolkit: type (by name and by content) and
size. Anything else is refused with a message that says what is accepted."""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError

MAX_TOOLKIT_FILE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_BYTES = 2 * 1024 * 1024

# extension -> (content type served, check of the first bytes)
_PDF = ("application/pdf", lambda head: head.startswith(b"%PDF-"))
_PNG = ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"))
_JPEG = ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff"))
_ZIP = lambda ctype: (ctype, lambda head: head.startswith(b"PK\x03\x04"))  # noqa: E731
_SVG = ("image/svg+xml", lambda head: _looks_like_svg(head))
_TEXT = ("text/plain; charset=utf-8", lambda head: _is_utf8_text(head))

FILE_TYPES: dict[str, tuple[str, Any]] = {
    "pdf": _PDF,
    "png": _PNG,
    "jpg": _JPEG,
    "jpeg": _JPEG,
    "svg": _SVG,
    "txt": _TEXT,
    "docx": _ZIP("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pptx": _ZIP("application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "odt": _ZIP("application/vnd.oasis.opendocument.text"),
}
IMAGE_TYPES = {k: FILE_TYPES[k] for k in ("png", "jpg", "jpeg", "svg")}

# SVG is XML that may carry script; ours are shown in <img> (no script runs there) and served
# under a sandboxing CSP, and an upload carrying active content is refused outright anyway.
_SVG_ACTIVE = re.compile(
    rb"<script|<foreignobject|\son[a-z]+\s*=|javascript:|<!entity|xlink:href\s*=\s*[\"']?(?!#)",
    re.IGNORECASE,
)


def _looks_like_svg(head: bytes) -> bool:
    return b"<svg" in head[:4096].lower()


def _is_utf8_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(head) - 3
    return b"\x00" not in head


def _human_size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def content_type_for(name: str) -> str:
    """The content type a stored toolkit file is served with (by its checked extension)."""
    ext = PurePath(name).suffix.lower().lstrip(".")
    return FILE_TYPES.get(ext, ("application/octet-stream", None))[0]


def _check(upload: Any, types: dict[str, tuple[str, Any]], max_bytes: int) -> None:
    ext = PurePath(upload.name or "").suffix.lower().lstrip(".")
    accepted = ", ".join(sorted({e.upper() for e in types if e != "jpeg"}))
    if ext not in types:
        raise ValidationError(
            f"This type of file cannot be added. Accepted: {accepted}.", code="file_type"
        )
    if upload.size > max_bytes:
        raise ValidationError(
            f"This file is {upload.size / (1024 * 1024):.1f} MB; the limit is "
            f"{_human_size(max_bytes)}.",
            code="file_size",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if not types[ext][1](head):
        raise ValidationError(
            f"This file does not look like a .{ext} file inside. Check it, or export it again.",
            code="file_content",
        )
    if ext == "svg":
        upload.seek(0)
        whole = upload.read()
        upload.seek(0)
        if _SVG_ACTIVE.search(whole):
            raise ValidationError(
                "This SVG contains scripts, event handlers or external links, which are not "
                "allowed. Export it as a plain drawing, or as PNG.",
                code="svg_active",
            )


def validate_toolkit_file(upload: Any) -> None:
    """Refuse files that are not an accepted document or image type, or are over 10 MB."""
    _check(upload, FILE_TYPES, MAX_TOOLKIT_FILE_BYTES)


def validate_share_image(upload: Any) -> None:
    """Refuse shareable images that are not PNG, JPEG or a plain SVG, or are over 2 MB."""
    _check(upload, IMAGE_TYPES, MAX_IMAGE_BYTES)
