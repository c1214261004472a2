# syntax=docker/dockerfile:1
# clawtriage image: one container runs `clawtriage serve`, the supervisor that starts the
# embedded Postgres and Redis (data on the volume at /data), migrates, and runs the API,
# the dashboard and the worker. See docs/OPERATIONS.md; checked by scripts/check-deploy.sh
# (hadolint, what the runtime stage installs, a container-like smoke test) and built for
# real by scripts/container-smoke.sh.

# ---- 1. dashboard: the Vite + React SPA, built to dashboard/dist ----------------------
FROM node:20-bookworm-slim AS dashboard
WORKDIR /src/dashboard
# The lock file alone decides the node_modules layer, so source edits reuse it.
COPY dashboard/package.json dashboard/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY dashboard/ ./
RUN npm run build

# ---- 2. builder: the release binary (config/ YAML and migrations/ embedded) ----------
FROM rust:1.95-slim-bookworm AS builder
WORKDIR /src
# Dependencies first, against stub sources: this layer is rebuilt only when a manifest
# or Cargo.lock changes, not on every source edit. The declared benches must exist for
# Cargo to read the manifests.
COPY Cargo.toml Cargo.lock ./
COPY crates/triage/Cargo.toml crates/triage/
RUN mkdir -p src benches crates/triage/src crates/triage/benches \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs crates/triage/src/lib.rs \
    && echo 'fn main() {}' > benches/scan.rs \
    && echo 'fn main() {}' > crates/triage/benches/engine.rs \
    && cargo build --release --locked --bin clawtriage \
    && rm -rf src benches crates/triage/src crates/triage/benches
# The real sources. include_str!(config/*.yaml) and sqlx::migrate!(migrations/) read
# these at compile time, so they are part of the binary, not of the runtime image.
COPY src/ src/
COPY benches/ benches/
COPY config/ config/
COPY migrations/ migrations/
COPY crates/triage/ crates/triage/
# Cargo compares mtimes: make sure the stubs' fingerprints do not win.
RUN touch src/main.rs src/lib.rs crates/triage/src/lib.rs \
    && cargo build --release --locked --bin clawtriage \
    && cp target/release/clawtriage /usr/local/bin/clawtriage

# ---- 3. runtime: Debian slim with the Postgres and Redis servers the supervisor runs ---
FROM debian:bookworm-slim AS runtime
# postgresql-15 brings initdb/postgres in /usr/lib/postgresql/15/bin (PG_BIN_DIR below)
# and, through postgresql-common, the unprivileged `postgres` user that the supervisor
# drops to when it runs as root. No default cluster: ours lives on the volume.
# redis-server: /usr/bin/redis-server. ca-certificates: GitHub over TLS.
# tini: PID 1. It forwards the stop signal to the supervisor and reaps orphans (a
# Postgres backend or Redis fork left behind by a crashed parent); the supervisor itself
# waits only on its own children, and cannot be PID 1 anyway: a child refuses to start
# when its parent is PID 1 (the orphan guard in src/supervisor/process.rs).
# curl: the HEALTHCHECK below, and `fly ssh console` debugging.
# Versions follow Debian bookworm's stable updates (security fixes), so they are not pinned.
# hadolint ignore=DL3008
RUN mkdir -p /etc/postgresql-common/createcluster.conf.d \
    && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf.d/no-main-cluster.conf \
    && apt-get update \
    && apt-get install -y --no-install-recommends \
        postgresql-15 \
        redis-server \
        ca-certificates \
        tini \
        curl \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /data /app

COPY --from=builder /usr/local/bin/clawtriage /usr/local/bin/clawtriage
COPY --from=dashboard /src/dashboard/dist /app/dashboard/dist

# Configuration only; secrets (tokens, keys) come from `fly secrets` at run time.
ENV DATA_ROOT=/data \
    PORT=8080 \
    BIND_ADDR=0.0.0.0 \
    DASHBOARD_DIR=/app/dashboard/dist \
    PG_BIN_DIR=/usr/lib/postgresql/15/bin \
    EMBEDDED_RUN_AS=postgres \
    LOG_FORMAT=json \
    LANG=C.UTF-8

WORKDIR /app
EXPOSE 8080
# The supervisor stops cleanly on SIGTERM or SIGINT; fly.toml's kill_signal says the same.
STOPSIGNAL SIGTERM
# Start period: first boot runs initdb on the volume (Postgres gets 60 s to come up).
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
    CMD ["sh", "-c", "curl -fsS --max-time 4 \"http://127.0.0.1:${PORT}/api/health\" || exit 1"]

# The supervisor runs as root so it can own the volume and drop Postgres and Redis to
# EMBEDDED_RUN_AS; the API and worker run inside it.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["clawtriage", "serve"]
