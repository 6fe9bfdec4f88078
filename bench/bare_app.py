"""A bare FastAPI endpoint returning precomputed bytes: the ceiling for a Python JSON endpoint."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, Response

BODY = Path(os.environ["BARE_BODY_FILE"]).read_bytes()
app = FastAPI()


@app.get("/bare")
async def bare() -> Response:
    """The same bytes as the observatory's response, with nothing computed."""
    return Response(BODY, media_type="application/json")
