#!/usr/bin/env bash
# Make tests/data/release-0.1.0.dump: a database created by release v0.1.0's own code, with data.
#
# tests/gis/test_release_upgrade.py restores it and upgrades it to today's heads; the old revisions
# imported the live catalog, so the test must not run old code: this script did, once.
#
# What it does, exactly:
#   1. git archive v0.1.0 → a temporary folder; `uv sync --frozen` there (v0.1.0's own uv.lock);
#   2. with that code and venv, on this checkout's embedded cluster (or DOTHI_DATABASE_URL):
#      drop/create database dothi_release_fixture, `migrate.upgrade` to v0.1.0's heads, load the
#      real Mỹ Tho admin units (2019 and 2025), run every indicator whose inputs exist (density);
#   3. pg_dump --format=custom --no-owner --no-privileges of that database → tests/data/release-0.1.0.dump;
#   4. drop the database and the temporary folder.
#
# Usage (from the repository root, `make install` done, embedded cluster running or
# DOTHI_DATABASE_URL set):   tests/data/make_release_fixture.sh
set -euo pipefail

TAG=v0.1.0
ROOT=$(git rev-parse --show-toplevel)
OUT="$ROOT/tests/data/release-0.1.0.dump"
PG_BIN=/usr/lib/postgresql/15/bin
UV=$(command -v uv || echo "$ROOT/.data/tools/bin/uv")
WORK=$(mktemp -d /tmp/dothi-release-XXXXXX)
trap 'rm -rf "$WORK"' EXIT

git -C "$ROOT" archive "$TAG" | tar -x -C "$WORK"
(cd "$WORK" && "$UV" sync --frozen --quiet)

# Build the database with v0.1.0's code; print its URL (password included) on the last line.
URL=$(cd "$WORK" && DOTHI_DATA_DIR="${DOTHI_DATA_DIR:-$ROOT/.data}" .venv/bin/python - <<'PY'
import layers
from analysis.migrations import VERSIONS_DIR as ANALYSIS
from analysis.runner import run_all
from gis import migrate
from gis.engine import create_engine, database_url, drop_database, ensure_database
from gis.settings import DatabaseSettings
from layers.catalog import ADMIN_UNITS
from layers.load import load_frame
from layers.migrations import VERSIONS_DIR as LAYERS
from layers.sources import mytho

assert "/dothi-release-" in layers.__file__, f"not the release's code: {layers.__file__}"
url = database_url(DatabaseSettings()).set(database="dothi_release_fixture")
drop_database(url)
ensure_database(url)
engine = create_engine(url)
migrate.upgrade(engine, extra_version_dirs=(LAYERS, ANALYSIS))
for bundle in mytho.admin_unit_bundles():
    load_frame(engine, ADMIN_UNITS, bundle.frame, source=bundle.source, scope=bundle.scope)
run_all(engine)
engine.dispose()
print(url.set(drivername="postgresql").render_as_string(hide_password=False))
PY
)
URL=$(printf '%s\n' "$URL" | tail -n 1)

"$PG_BIN/pg_dump" --format=custom --compress=9 --no-owner --no-privileges --file="$OUT" "$URL"
"$PG_BIN/dropdb" --force --maintenance-db="${URL%/*}/postgres" dothi_release_fixture
ls -l "$OUT"
