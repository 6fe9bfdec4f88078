"""Publications held in memory: the latest is polled in the background, never per request."""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

import anyio
from fastapi import HTTPException, Request, Response
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from observatoire.publication.snapshot import PublicationMeta, PublishedCube
from observatoire.store.models import Publication

GZIP_MIN_BYTES = 512
# Set on every answer built from a publication of fictive (demo) data.
FICTIVE_HEADER = "X-Donnees-Fictives"


class PublicationStore:
    """Loads publications on demand, keeps a few in memory, knows the latest id."""

    def __init__(self, engine: Engine, *, keep: int = 4) -> None:
        self._engine = engine
        self._keep = keep
        self._cubes: OrderedDict[int, PublishedCube] = OrderedDict()
        self._lock = threading.Lock()
        self.latest_id: int | None = None
        self.metas: list[PublicationMeta] = []
        self.version = 0  # bumped when the list of publications changes (replay keys use it)
        self.checked_at = 0.0

    def refresh(self) -> None:
        """Re-read the list of publications (cheap: metadata only) and preload the latest."""
        # A publication is known by its number and time: removing the demo
        # (`observatoire supprimer-demo`) lets SQLite hand out the same number again.
        with Session(self._engine) as session:
            rows = session.exec(
                select(Publication.id, Publication.publiee_le).order_by(col(Publication.id).desc())
            ).all()
            identities = [(int(pub_id), when.isoformat()) for pub_id, when in rows]
            changed = [(m.id, m.publiee_le) for m in self.metas] != identities
            if changed:
                known = {(m.id, m.publiee_le): m for m in self.metas}
                metas = []
                for identity in identities:
                    meta = known.get(identity)
                    if meta is None:
                        pub = session.get(Publication, identity[0])
                        meta = PublicationMeta.from_row(pub)  # type: ignore[arg-type]
                    metas.append(meta)
                self.metas = metas
                with self._lock:
                    live = set(identities)
                    for gone in [
                        i for i, c in self._cubes.items() if (i, c.meta.publiee_le) not in live
                    ]:
                        del self._cubes[gone]
        self.latest_id = self.metas[0].id if self.metas else None
        if changed:
            # After `latest_id`: an answer recorded under the new version is never an old one.
            self.version += 1
        self.checked_at = time.monotonic()
        if self.latest_id is not None:
            self.get(self.latest_id)

    def get(self, pub_id: int) -> PublishedCube | None:
        """The publication `pub_id`, loaded once and kept in a small LRU."""
        with self._lock:
            cube = self._cubes.get(pub_id)
            if cube is not None:
                self._cubes.move_to_end(pub_id)
                return cube
        with Session(self._engine) as session:
            row = session.get(Publication, pub_id)
            if row is None:
                return None
            cube = PublishedCube.from_row(row)
        with self._lock:
            self._cubes[pub_id] = cube
            while len(self._cubes) > self._keep:
                self._cubes.popitem(last=False)
        return cube

    async def aresolve(self, pub_id: int | None) -> PublishedCube:
        """Like `resolve`, without leaving the event loop when the cube is already in memory."""
        target = pub_id if pub_id is not None else self.latest_id
        if target is not None:
            with self._lock:
                cube = self._cubes.get(target)
            if cube is not None:
                return cube
        return await anyio.to_thread.run_sync(self.resolve, pub_id)

    def resolve(self, pub_id: int | None) -> PublishedCube:
        """The requested publication, or the latest; 404 when there is none."""
        target = pub_id if pub_id is not None else self.latest_id
        cube = self.get(target) if target is not None else None
        if cube is None:
            detail = (
                f"publication {pub_id} introuvable"
                if pub_id is not None
                else "aucune publication n'a encore été produite"
            )
            raise HTTPException(status_code=404, detail=detail)
        return cube


class ResponseCache:
    """Rendered bodies (plain and gzip) per publication and query: built once, served often."""

    def __init__(self, max_entries: int = 4096) -> None:
        self._max = max_entries
        self._items: OrderedDict[tuple, tuple[bytes, bytes | None, str, str]] = OrderedDict()
        self._lock = threading.Lock()

    def store(
        self, cube: PublishedCube, key: tuple, build: Callable[[], tuple[bytes, str]]
    ) -> tuple[bytes, bytes | None, str, str]:
        """The entry for `key` of `cube` (body, gzip body, media type, tag), built once."""
        full_key = (cube.meta.id, cube.meta.publiee_le, *key)
        with self._lock:
            entry = self._items.get(full_key)
        if entry is None:
            body, media_type = build()
            zipped = gzip.compress(body, 5, mtime=0) if len(body) >= GZIP_MIN_BYTES else None
            digest = hashlib.sha256(repr(full_key).encode()).hexdigest()[:20]
            entry = (body, zipped, media_type, f"p{cube.meta.id}-{digest}")
            with self._lock:
                self._items[full_key] = entry
                while len(self._items) > self._max:
                    self._items.popitem(last=False)
        return entry

    def respond(
        self,
        request: Request,
        cube: PublishedCube,
        key: tuple,
        *,
        explicit: bool,
        max_age: int,
        build: Callable[[], tuple[bytes, str]],
    ) -> Response:
        """A response bound to `cube`'s publication: ETag, Cache-Control, 304 and gzip."""
        body, zipped, media_type, tag = self.store(cube, key, build)
        use_gzip = zipped is not None and "gzip" in request.headers.get("accept-encoding", "")
        etag = f'"{tag}-gz"' if use_gzip else f'"{tag}"'
        cache = "public, max-age=31536000, immutable" if explicit else f"public, max-age={max_age}"
        headers = {
            "ETag": etag,
            "Cache-Control": cache,
            "Vary": "Accept-Encoding",
            "X-Publication-Id": str(cube.meta.id),
        }
        if cube.meta.synthetique:  # CSV has no room for it: every format says so here too
            headers[FICTIVE_HEADER] = "true"
        inm = request.headers.get("if-none-match", "")
        if inm and (
            inm.strip() == "*"
            or any(t.strip() in (f'"{tag}"', f'"{tag}-gz"') for t in inm.split(","))
        ):
            return Response(status_code=304, headers=headers)
        if use_gzip:
            headers["Content-Encoding"] = "gzip"
            return Response(zipped, media_type=media_type, headers=headers)
        return Response(body, media_type=media_type, headers=headers)
