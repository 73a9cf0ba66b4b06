"""How a download is named: the original file name (Chinese included) with its extension, and a plain
ASCII name for clients that cannot read RFC 6266's UTF-8 form."""

import unicodedata
from urllib.parse import quote


def _clean(name: str) -> str:
    """The last path part of `name`, without control characters, quotes or separators."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and ch not in '"*:<>?|')
    return kept.strip(" .") or "download"


def download_disposition(filename: str, *, fallback: str = "download") -> str:
    """A Content-Disposition header value that saves the file as `filename`."""
    name = _clean(filename)
    extension = ("." + name.rsplit(".", 1)[-1]) if "." in name else ""
    ascii_name = name if name.isascii() else _clean(fallback) + extension.encode("ascii", "ignore").decode()
    return f'attachment; filename="{ascii_name}"; filename*=UTF-8\'\'{quote(name, safe="")}'
