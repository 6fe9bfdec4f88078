"""SQLModel tables. Official codes and CSV columns keep their French names."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.types import TypeEngine
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Timezone-aware now (stored as UTC)."""
    return datetime.now(UTC)


def code_string(length: int) -> TypeEngine[str]:
    """VARCHAR compared byte by byte: collation "C" on PostgreSQL, like SQLite's BINARY.

    Codes (département, mois, type) are ASCII, so only the cost changes: the unique index of
    `current_count` compares them with memcmp instead of the database locale's strcoll, and
    its order is the cell order of every writer (Python's), in which cells are locked.
    """
    return String(length).with_variant(String(length, collation="C"), "postgresql")


class Organisation(SQLModel, table=True):
    """An association that submits counts."""

    __tablename__ = "organisation"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=64)
    nom: str = Field(max_length=200)
    synthetique: bool = Field(default=False, description="Fictional demo association.")
    cree_le: datetime = Field(default_factory=utcnow)
    debut: str | None = Field(
        default=None, max_length=7, description="First month the association reports (AAAA-MM)."
    )


class ApiKey(SQLModel, table=True):
    """An API key: only its public prefix and an HMAC of the whole key are stored."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    prefix: str = Field(unique=True, index=True, max_length=32)
    key_hmac: str = Field(max_length=64)
    cree_le: datetime = Field(default_factory=utcnow)
    revoquee_le: datetime | None = None
    derniere_utilisation: datetime | None = None
    expire_le: datetime | None = Field(default=None, description="Refused from this moment on.")


class Submission(SQLModel, table=True):
    """One accepted batch (API call or loaded file), stored whole."""

    __tablename__ = "submission"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    key_prefix: str | None = Field(default=None, max_length=32)
    source: str = Field(default="api", max_length=16)
    recue_le: datetime = Field(default_factory=utcnow)
    lignes: int = 0
    creees: int = 0
    modifiees: int = 0
    inchangees: int = 0
    fichier: str | None = Field(default=None, max_length=255, description="Source file name.")
    motif: str | None = Field(default=None, max_length=500, description="Reason given.")
    statut: str = Field(
        default="active",
        max_length=16,
        sa_column_kwargs={"server_default": "active"},
        description="`active` or `retiree` (withdrawn).",
    )
    retiree_le: datetime | None = None
    motif_retrait: str | None = Field(default=None, max_length=500)


class SubmissionContent(SQLModel, table=True):
    """The rows of a submission as submitted, in one compressed value: they are only ever read
    back whole (format: `observatoire.submissions.content`)."""

    __tablename__ = "submission_content"

    submission_id: int = Field(
        foreign_key="submission.id", primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    contenu: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class CurrentCount(SQLModel, table=True):
    """The current value of one (organisation, département, mois, type)."""

    __tablename__ = "current_count"
    __table_args__ = (UniqueConstraint("organisation_id", "departement", "mois", "type_incident"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    departement: str = Field(sa_type=code_string(3), max_length=3)
    mois: str = Field(sa_type=code_string(7), max_length=7)
    type_incident: str = Field(sa_type=code_string(40), max_length=40)
    nombre: int
    submission_id: int = Field(foreign_key="submission.id")
    modifie_le: datetime = Field(default_factory=utcnow)


class Revision(SQLModel, table=True):
    """Append-only history of every change of a current count."""

    __tablename__ = "revision"
    # Append-only, in submission order: a BRIN index (a few pages, next to nothing to maintain)
    # finds a submission's revisions on PostgreSQL; SQLite, without BRIN, gets a B-tree.
    __table_args__ = (
        Index(
            "ix_revision_submission_id",
            "submission_id",
            postgresql_using="brin",
            postgresql_with={"autosummarize": "on"},
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    submission_id: int = Field(foreign_key="submission.id")
    departement: str = Field(max_length=3)
    mois: str = Field(max_length=7)
    type_incident: str = Field(max_length=40)
    ancienne_valeur: int | None = None
    nouvelle_valeur: int | None = Field(
        default=None, description="None: the cell is again « not reported » (withdrawal)."
    )
    key_prefix: str | None = Field(default=None, max_length=32)
    cree_le: datetime = Field(default_factory=utcnow)
    action: str | None = Field(
        default=None, max_length=16, description="None: set by the submission; `retrait`."
    )


class IdempotencyRecord(SQLModel, table=True):
    """The first response to an `Idempotency-Key`, replayed on retries."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("organisation_id", "cle"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    cle: str = Field(max_length=255)
    empreinte: str = Field(max_length=64, description="SHA-256 of the request body and query.")
    statut: str = Field(default="en_cours", max_length=16)
    code_http: int | None = None
    reponse: str | None = None
    cree_le: datetime = Field(default_factory=utcnow)


class Publication(SQLModel, table=True):
    """An immutable, numbered snapshot of the protected statistics cube."""

    __tablename__ = "publication"

    id: int | None = Field(default=None, primary_key=True)
    publiee_le: datetime = Field(default_factory=utcnow)
    type_publication: str = Field(default="initiale", max_length=16)
    donnees_jusqu_a: str = Field(max_length=7)
    premier_mois: str = Field(max_length=7)
    seuil: int
    cellules: int
    cellules_secretes: int
    associations: int
    soumissions: int
    synthetique: bool = False
    taxonomie_version: str = Field(max_length=16)
    # `nom/version` of the publication plan (publication/plan.py): the tables it publishes.
    plan_publication: str = Field(default="complet/1", max_length=40)
    secondes_protection: float = 0.0
    # gzip JSON of the protected cube: published values and hidden flags.
    contenu: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    # gzip JSON of the true values (private): the next vintage's audit needs them.
    valeurs_reelles: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
