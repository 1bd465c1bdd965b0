"""How an indicator run was executed (Dask scheduler, partitions, overlap).

Revision ID: 0018_run_execution
Revises: 0016_scenario_editing
Create Date: 2026-12-02

Frozen: ``analysis/migrations/sql/run_execution.sql`` adds ``execution`` (jsonb, NULL for a run in
one process) to ``analysis.indicator_runs``.
"""

from __future__ import annotations

from alembic import op

from gis.sqlfiles import load_sql
from gis.sqlscript import run_script

revision = "0018_run_execution"
down_revision = "0015_jobs_queue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script(op.get_bind(), load_sql("analysis.migrations", "run_execution"))


def downgrade() -> None:
    run_script(op.get_bind(), load_sql("analysis.migrations", "run_execution_down"))
