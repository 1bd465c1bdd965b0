"""Synthetic inputs recorded with every indicator run and every result row.

Revision ID: 0009_result_provenance
Revises: 0008_auth
Create Date: 2026-12-02

Frozen: ``analysis/migrations/sql/result_provenance.sql`` adds ``synthetic`` (boolean) and
``synthetic_inputs`` (text[], qualified layer names) to ``analysis.indicator_runs`` and to the
results table of every indicator of this revision's registry (written out, never read from the live
registry).  Both stay NULL for runs made before this revision: the runner treats such a run as not
current and recomputes it.  The per-level views (``analysis.<table>_ward_2025`` …) are not created
here: the runner re-creates them with each publication (see ``analysis/levels.py``).
"""

from __future__ import annotations

from alembic import op

from gis.sqlfiles import load_sql
from gis.sqlscript import run_script

revision = "0009_result_provenance"
down_revision = "0008_auth"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script(op.get_bind(), load_sql("analysis.migrations", "result_provenance"))


def downgrade() -> None:
    run_script(op.get_bind(), load_sql("analysis.migrations", "result_provenance_down"))
