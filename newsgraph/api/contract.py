"""The OpenAPI contract: one error body for every failure, and the error statuses each REST operation documents.

FastAPI derives parameters and success bodies from the route signatures; `document` then adds the error answers
every /api operation can give, so a route added later (or a parameter another module adds) is covered too.
"""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI

# {"error": {"type", "status", "message"}}: what every error answer of the REST API carries.
ERROR_SCHEMA = {
    "type": "object", "title": "Error", "required": ["error"], "additionalProperties": False,
    "properties": {"error": {
        "type": "object", "required": ["type", "status", "message"], "additionalProperties": False,
        "properties": {
            "type": {"type": "string", "description": "The error's kind, e.g. QueryError, NotFound, ValidationError."},
            "status": {"type": "integer", "minimum": 400, "maximum": 599, "description": "The HTTP status again."},
            "message": {"type": "string", "description": "What is wrong, naming the item; meant for a person."},
        },
    }},
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
RETRY_AFTER = 5  # seconds a client should wait after a 503

# Status -> description. Every /api operation documents these.
ALWAYS = {
    400: "A value the schema allows but the server cannot use, e.g. a malformed search query.",
    401: "This operation needs `Authorization: Bearer <token>`, which was missing or wrong. Reads need it only "
         "when the server is not bound to a loopback address.",
    413: "The request body is over the limit: 10 MiB for /api/ingest, 64 KiB elsewhere.",
    503: "The store is busy (another writer held its lock past the timeout) or its database is unreachable; "
         "try again after `Retry-After` seconds.",
}
VALIDATION = "A parameter or the body breaks the schema (type, bounds, enum, pattern); the message names it."
NOT_FOUND = "No such item (or no entity by that name)."


def error_body(status: int, message: str, kind: str) -> dict[str, Any]:
    return {"error": {"type": kind, "status": status, "message": message}}


def links(pointer: str, **operations: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` declaring OpenAPI links: the value at JSON `pointer` in the 200 body fills the named path
    parameter of each operation (by its operationId, the route function's name). Clients and fuzzers follow them."""
    value = f"$response.body#{pointer}"
    named = {"".join(w.capitalize() for w in op.split("_")): (op, param) for op, param in operations.items()}
    return {200: {"links": {name: {"operationId": op, "parameters": {param: value}}
                            for name, (op, param) in named.items()}}}


def not_found(description: str = NOT_FOUND) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route that looks something up by a query value (a path id documents 404 by itself)."""
    return {404: {"description": description}}


def document(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the shared error schema and each /api operation's error answers to FastAPI's schema, in place."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):  # FastAPI's 422 body, which this app never sends
        components.pop(name, None)
    for path, operations in schema.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for operation in operations.values():
            _document_operation(path, operation)
    return schema


def _document_operation(path: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    parameters = operation.get("parameters", [])
    for param in parameters:
        _drop_null(param)
    statuses = dict(ALWAYS)
    if parameters or "422" in responses:
        statuses[422] = VALIDATION
    if "{" in path:
        statuses[404] = NOT_FOUND
    for status, description in statuses.items():
        responses.setdefault(str(status), {"description": description})
    for status, response in responses.items():
        if status[0] in "45":
            response["content"] = {"application/json": {"schema": ERROR_REF}}
            if status == "422" and response.get("description") == "Validation Error":
                response["description"] = VALIDATION
        if status == "503":
            response["headers"] = {"Retry-After": {"description": "Seconds to wait before retrying.",
                                                   "schema": {"type": "integer", "minimum": 1}}}
    operation["responses"] = dict(sorted(responses.items()))


def _drop_null(param: dict[str, Any]) -> None:
    """An optional query parameter is one that may be left out; `null` has no spelling in a query string."""
    schema = param.get("schema", {})
    options = schema.get("anyOf")
    if not options or {"type": "null"} not in options:
        return
    kept = [o for o in options if o != {"type": "null"}]
    del schema["anyOf"]
    if len(kept) == 1:
        schema.update(kept[0])
    else:
        schema["anyOf"] = kept


def install(app: FastAPI) -> None:
    """Serve `document(...)` of FastAPI's own schema at /openapi.json (built once, on first request)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document(build())
        return app.openapi_schema

    app.openapi = openapi
