"""The stored publication's format: its protected cube and its private contributions.

A publication row holds two gzip JSON blobs (deterministic: same content, same bytes):
- `contenu`, public: the dimensions, the publication plan (plan.py) and the flat published
  values, `HIDDEN` (-1) for a hidden cell and `UNPLANNED` (-2) for a cell of a table the plan
  does not publish, in territory × incident × period order (a blob without a plan is from
  before plans: every table published);
- `valeurs_reelles`, private: every contribution as [territory, incident, period,
  organisation, count], sorted; the next vintage and the audit rebuild the cube from it.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from typing import Any

import numpy as np

from observatoire.disclosure import CellKey
from observatoire.publication.plan import COMPLETE, Plan

HIDDEN = -1
UNPLANNED = -2  # a cell of a table outside the plan: never served, not « secret » either
Contributions = dict[CellKey, dict[str, int]]  # cell -> organisation id -> count


def _encode_json(data: Any) -> bytes:
    return gzip.compress(json.dumps(data, separators=(",", ":")).encode(), mtime=0)


def _decode_json(blob: bytes) -> Any:
    return json.loads(gzip.decompress(blob))


def encode_cube(
    territories: list[str],
    incidents: list[str],
    periods: list[str],
    published: np.ndarray,
    plan: Plan = COMPLETE,
) -> bytes:
    """The public blob: dimensions, plan and flat published values (`HIDDEN`, `UNPLANNED`)."""
    return _encode_json(
        {
            "territoires": territories,
            "incidents": incidents,
            "periodes": periods,
            "plan": plan.to_payload(),
            "valeurs": published.astype(np.int64).ravel().tolist(),
        }
    )


def decode_cube(blob: bytes) -> tuple[list[str], list[str], list[str], np.ndarray]:
    """Inverse of `encode_cube`: territories, incidents, periods and the flat values."""
    return _cube_parts(_decode_json(blob))


def decode_published(
    blob: bytes,
) -> tuple[list[str], list[str], list[str], np.ndarray, Plan]:
    """`decode_cube` and the plan the cube was protected with (every table for a blob from
    before plans), from one decompression."""
    payload = _decode_json(blob)
    plan = Plan.from_payload(payload["plan"]) if "plan" in payload else COMPLETE
    return (*_cube_parts(payload), plan)


def _cube_parts(payload: Any) -> tuple[list[str], list[str], list[str], np.ndarray]:
    values = np.asarray(payload["valeurs"], dtype=np.int64)
    return payload["territoires"], payload["incidents"], payload["periodes"], values


def published_values(blob: bytes) -> dict[CellKey, int]:
    """Every cell of a public blob: its value, HIDDEN or UNPLANNED."""
    ts, xs, ps, values = decode_cube(blob)
    flat = iter(values.tolist())
    return {(t, x, p): next(flat) for t in ts for x in xs for p in ps}


def encode_contributions(contributions: Contributions) -> bytes:
    """The private blob: one sorted [territory, incident, period, organisation, count] each."""
    return _encode_json(
        [
            [*key, org, n]
            for key, orgs in sorted(contributions.items())
            for org, n in sorted(orgs.items())
        ]
    )


def decode_contributions(blob: bytes) -> Contributions:
    """Inverse of `encode_contributions`."""
    out: Contributions = defaultdict(dict)
    for t, i, p, org, n in _decode_json(blob):
        out[(t, i, p)][org] = n
    return out
