"""Request dependencies shared by the routers: the app's Graph."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ...graph import Graph


async def get_graph(request: Request) -> Graph:
    # async: FastAPI runs a plain `def` dependency on the threadpool, a hand-off per request for a dict lookup
    return request.app.state.graph


GraphDep = Annotated[Graph, Depends(get_graph)]
