"""Evidence files: checked by name and by content before anything is stored."""
from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

MAX_BYTES = 5 * 1024 * 1024
MAX_STEM = 120
ZIP = b"PK\x03\x04"
#: extension -> (content type, how the file must start)
ALLOWED = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    "odt": ("application/vnd.oasis.opendocument.text", (ZIP,)),
}


class UploadError(ValueError):
    """The file is refused; ``code`` is one of ``type``, ``content``, ``size``, ``empty``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Evidence:
    name: str
    content_type: str
    data: bytes


def check(upload: FileStorage | None, max_bytes: int = MAX_BYTES) -> Evidence | None:
    """The checked file, or None when no file was chosen. Raises ``UploadError`` when it is refused.

    The type is decided by the extension *and* the first bytes, never by the browser's claim.
    """
    if upload is None or not upload.filename:
        return None
    # The type comes from the name as given: a safe stored name may lose it ("план.pdf" -> "pdf").
    extension = upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else ""
    if extension not in ALLOWED:
        raise UploadError("type")
    # Shortened to fit the column (``Attestation.file_name``) whatever the browser sent.
    stem = secure_filename(upload.filename.rsplit(".", 1)[0])[:MAX_STEM]
    name = f"{stem or 'evidence'}.{extension}"
    data = upload.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadError("size")
    if not data:
        raise UploadError("empty")
    content_type, signatures = ALLOWED[extension]
    if not any(data.startswith(signature) for signature in signatures):
        raise UploadError("content")
    return Evidence(name, content_type, data)
