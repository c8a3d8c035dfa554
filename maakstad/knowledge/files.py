"""Checks for uploaded files: allowed types by extension AND content, and a size limit."""

from __future__ import annotations

import hashlib
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

OOXML = {
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/"),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/"),
}
SIMPLE = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
}
ALLOWED_EXTENSIONS = sorted([*SIMPLE, *OOXML])


def max_upload_bytes() -> int:
    return int(getattr(settings, "MAAKSTAD_KNOWLEDGE_MAX_UPLOAD_MB", 25)) * 1024 * 1024


@dataclass
class CheckedFile:
    content_type: str
    size: int
    sha256: str
    storage_name: str


def check_upload(file: IO[bytes], name: str, size: int) -> CheckedFile:
    """Accept a file only if its extension is allowed AND its content is of that type."""
    extension = PurePath(name).suffix.lower()
    if extension not in SIMPLE and extension not in OOXML:
        raise ValidationError(
            _("Dit bestandstype is niet toegestaan. Toegestaan: %(types)s.")
            % {"types": ", ".join(ALLOWED_EXTENSIONS)},
            code="type",
        )
    if size > max_upload_bytes():
        raise ValidationError(
            _("Het bestand is te groot (%(size)s MB); het maximum is %(max)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "max": max_upload_bytes() // 1024 // 1024},
            code="size",
        )
    if size == 0:
        raise ValidationError(_("Het bestand is leeg."), code="empty")
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if extension in SIMPLE:
        content_type, magic = SIMPLE[extension]
        if not head.startswith(magic):
            raise ValidationError(
                _("De inhoud van het bestand past niet bij de extensie %(ext)s.")
                % {"ext": extension},
                code="content",
            )
    else:
        content_type, folder = OOXML[extension]
        try:
            with zipfile.ZipFile(file) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile as error:
            raise ValidationError(
                _("De inhoud van het bestand past niet bij de extensie %(ext)s.")
                % {"ext": extension},
                code="content",
            ) from error
        finally:
            file.seek(0)
        if "[Content_Types].xml" not in names or not any(n.startswith(folder) for n in names):
            raise ValidationError(
                _("De inhoud van het bestand past niet bij de extensie %(ext)s.")
                % {"ext": extension},
                code="content",
            )
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return CheckedFile(
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        storage_name=f"{secrets.token_hex(16)}{extension}",
    )
