# syntax=docker/dockerfile:1
# Observatoire ANEF: one image for the API, the dashboard and the `observatoire` CLI.

# --- builder: uv installs the dependencies, then the project, into /opt/venv ---------------
FROM python:3.11-slim-bookworm AS builder
COPY --from=ghcr.io/astral-sh/uv:0.13 /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
WORKDIR /app
RUN uv venv /opt/venv --python /usr/local/bin/python3
# Dependencies first: this layer is reused while only the code changes.
COPY pyproject.toml ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv pip install --python /opt/venv/bin/python -r pyproject.toml
COPY observatoire ./observatoire
COPY api ./api
COPY etl ./etl
COPY dashboard ./dashboard
COPY geodata ./geodata
COPY contract ./contract
# The association space shows the guide (its screenshots are linked, not embedded).
COPY docs/guide-associations.md ./docs/guide-associations.md
# Editable: the code looks up geodata/ and contract/ beside its packages, in /app.
RUN --mount=type=cache,target=/root/.cache/uv \
    uv pip install --python /opt/venv/bin/python --no-deps -e .

# --- runtime: slim Python, the venv and the code, no compiler nor uv, a non-root user ------
FROM python:3.11-slim-bookworm AS runtime
RUN groupadd --system --gid 10001 observatoire \
    && useradd --system --uid 10001 --gid observatoire --create-home --home-dir /home/observatoire observatoire
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DATA_DIR=/app/data
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
RUN mkdir -p /app/data && chown observatoire:observatoire /app/data
USER observatoire
EXPOSE 8000 8501
CMD ["uvicorn", "--factory", "api.main:app_factory", "--no-access-log", "--host", "0.0.0.0", "--port", "8000"]
