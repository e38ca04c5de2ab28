"""GET /api/export: the whole graph as JSON lines, GraphML, or a zip of CSV files (one per table)."""
from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from ..params import ExportFormat
from .deps import GraphDep

router = APIRouter(tags=["store"])

MEDIA_TYPES = {"jsonl": "application/x-ndjson", "graphml": "application/graphml+xml", "csv": "application/zip"}
FILE_NAMES = {"jsonl": "newsgraph.jsonl", "graphml": "newsgraph.graphml", "csv": "newsgraph-csv.zip"}


@router.get("/export", response_class=FileResponse, summary="The whole graph as JSON lines, GraphML or zipped CSV",
            responses={200: {"description": "The export, as a download.", "content": {
                media: {"schema": {"type": "string", "format": "binary"}} for media in MEDIA_TYPES.values()}}})
async def export(graph: GraphDep, format: Annotated[ExportFormat, Query(  # noqa: A002 - the CLI's name
        description="jsonl: one record a line with its `type`; graphml: entities, articles, stories and events as "
                    "nodes (for Gephi); csv: a zip of one CSV file per table.")] = "jsonl") -> FileResponse:
    """Written to a temporary file first (the store is read once, whatever the client's speed), then sent."""
    folder = Path(tempfile.mkdtemp(prefix="newsgraph-export-"))
    try:
        path = await run_in_threadpool(_write, graph, format, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(path, media_type=MEDIA_TYPES[format], filename=FILE_NAMES[format],
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))


def _write(graph, format: str, folder: Path) -> Path:  # noqa: A002
    path = folder / FILE_NAMES[format]
    if format != "csv":
        graph.export(format, path)
        return path
    graph.export("csv", folder / "csv")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for table in sorted((folder / "csv").glob("*.csv")):
            zf.write(table, table.name)
    return path
