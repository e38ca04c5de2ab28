"""schemathesis hooks for tests/test_api_contract.py (set SCHEMATHESIS_HOOKS=tests/schemathesis_hooks.py by hand).

schemathesis knows no serializer for `application/x-ndjson`, the ingest body of JSON lines.
"""
import schemathesis


@schemathesis.serializer("application/x-ndjson")
def json_lines(ctx, value):
    # JSON lines are text: a generated string goes as it is. A generated non-string (an invalid case of the
    # wrong type) has no spelling as a text body at all; it goes as no body, which is as invalid.
    if isinstance(value, bytes):
        return value
    return value.encode("utf-8") if isinstance(value, str) else None
