"""Read HTML pages out of `.warc`/`.warc.gz` archives with warcio, one RawDoc per HTML response record."""
from __future__ import annotations

import os
import re
from typing import Any, BinaryIO, Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsgraph.errors import InputError
from newsgraph.ingest.limits import Limits, format_size
from newsgraph.ingest.localfile import stream_file
from newsgraph.ingest.sniff import decode_html, header_charset
from newsgraph.model import IngestError, RawDoc

HTML_TYPES = ("text/html", "application/xhtml+xml")
_WARC_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_DRAIN_CHUNK = 64 * 1024


def read_warc(path: str, limits: Limits) -> Iterator[RawDoc | IngestError]:
    """Items are named `path#offset`; a corrupt record ends the archive, earlier records still count."""
    return stream_file(path, lambda f: _read_records(path, f, limits))


def _read_records(path: str, f: BinaryIO, limits: Limits) -> Iterator[RawDoc | IngestError]:
    size = os.fstat(f.fileno()).st_size
    archive = ArchiveIterator(f)
    records = iter(archive)
    while True:
        # archive.offset is the current record's start once next() has consumed the previous one.
        try:
            record = next(records)
        except StopIteration:
            break
        # warcio raises many unrelated exception types on corrupt input (ValueError, AttributeError,
        # zlib.error, ...); all mean the same: nothing after this offset can be read.
        except Exception as e:  # noqa: BLE001
            yield IngestError(f"{path}#{archive.offset}", "read", _corrupt_message(e))
            return
        offset = archive.offset
        if record.format != "warc" or not record.rec_type:
            # warcio reads almost any line as an ARC header; a .warc file with one is not a WARC.
            yield IngestError(f"{path}#{offset}", "read", "not a valid WARC record")
            return
        try:
            doc = _record_doc(f"{path}#{offset}", record, limits)
        except InputError as e:
            yield IngestError(e.item, e.stage, e.message)
            continue
        except Exception as e:  # noqa: BLE001 - same warcio boundary, while decoding one payload
            yield IngestError(f"{path}#{offset}", "read", _corrupt_message(e))
            continue
        if doc is not None:
            yield doc
    if archive.offset < size:
        # warcio stops quietly when the last record's headers are cut off.
        yield IngestError(f"{path}#{archive.offset}", "read", "truncated or unreadable data after the last record")


def _record_doc(item: str, record: Any, limits: Limits) -> RawDoc | None:
    """The RawDoc for an HTML response/resource record; None for every other kind of record (skipped)."""
    content_type = ""
    if record.rec_type == "response" and record.http_headers is not None:
        if (record.http_headers.get_statuscode() or "").startswith("2"):
            content_type = record.http_headers.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type") or ""
    wanted = content_type.split(";")[0].strip().lower() in HTML_TYPES
    payload = record.content_stream().read(limits.max_bytes + 1) if wanted else b""
    _check_complete(item, record)
    if not wanted:
        return None
    if len(payload) > limits.max_bytes:
        raise InputError(item, f"record too large (over {format_size(limits.max_bytes)} limit)")
    if not payload.strip():
        raise InputError(item, "empty record")
    url = record.rec_headers.get_header("WARC-Target-URI")
    warc_date = record.rec_headers.get_header("WARC-Date") or ""
    day = _WARC_DATE.match(warc_date)
    return RawDoc(
        item=item,
        url=url or None,
        # The crawl date is only a fallback: the page's own publication date should win.
        meta={"warc_date": warc_date, "crawl_date": day.group(1)} if day else {},
        html=decode_html(item, payload, header_charset(content_type), lenient=True),
    )


def _check_complete(item: str, record: Any) -> None:
    """Read the rest of the record block (skipped records too) and fail if the file ends inside it."""
    while record.raw_stream.read(_DRAIN_CHUNK):
        pass
    missing = getattr(record.raw_stream, "limit", 0)  # warcio's LimitReader counts down the Content-Length
    if isinstance(missing, int) and missing > 0:
        raise InputError(item, f"truncated record ({missing} of {record.length} bytes missing)")


def _corrupt_message(e: Exception) -> str:
    if isinstance(e, ArchiveLoadFailed):
        return "not a valid WARC record"
    return f"corrupt WARC record ({type(e).__name__})"
