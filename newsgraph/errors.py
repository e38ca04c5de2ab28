"""newsgraph's exception types; each layer translates the errors below it into these."""
from __future__ import annotations


class NewsgraphError(Exception):
    """Base class. `status` is the HTTP status an API route should answer with."""

    status = 500


class InputError(NewsgraphError):
    """One input item could not be read, fetched or extracted. Carries the item's name."""

    status = 400

    def __init__(self, item: str, message: str, stage: str = "read"):
        super().__init__(f"{item}: {message}")
        self.item = item
        self.message = message
        self.stage = stage


class FetchError(InputError):
    """A URL was refused (private address, too large) or could not be fetched."""

    def __init__(self, item: str, message: str):
        super().__init__(item, message, stage="fetch")


class NotFound(NewsgraphError):
    status = 404


class QueryError(NewsgraphError):
    """A user's query is malformed (e.g. bad search syntax: an unclosed quote); the message says what to fix."""

    status = 400


class StoreError(NewsgraphError):
    """The store failed; wraps the driver's exception so none leaks out of `store/`."""

    status = 500


class StoreBusy(StoreError):
    """Another writer held the store's lock past the timeout: nothing was wrong with the request, retry it."""

    status = 503


class StoreUnavailable(StoreError):
    """The store cannot be reached (a database server down or restarting); retrying later may work."""

    status = 503


class ConfigError(NewsgraphError):
    """The installation is incomplete, e.g. a model file shipped with a dependency is missing."""
