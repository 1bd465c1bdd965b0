"""The job queue: procrastinate's schema in ``jobs_queue``, for OGC API jobs run on any machine.

Revision ID: 0015_jobs_queue
Revises: 0016_scenario_editing
Create Date: 2026-12-02

Frozen: the SQL (``analysis/migrations/sql/jobs_queue.sql``) is procrastinate 3.10.0's schema as
released, created in its own schema ``jobs_queue`` (its statements name no schema, so they run with
the search path set to it for this revision only).  A later procrastinate release that changes its
schema needs a new revision holding its migration script.

* ``jobs_queue.procrastinate_jobs`` / ``_events`` / ``_workers`` / ``_periodic_defers`` and the
  functions and triggers that queue, fetch and finish jobs (LISTEN/NOTIFY on new jobs, worker
  heartbeats).
* ``dothi_analyst`` (the job manager of every API node and the job workers) may use them;
  ``dothi_reader`` and PUBLIC may not.  pygeoapi's ``public.jobs`` (revision ``0007_roles``) keeps
  each job's status, progress and results.
"""

from __future__ import annotations

from alembic import op

from gis.sqlfiles import load_sql

revision = "0015_jobs_queue"
down_revision = "0016_scenario_editing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(load_sql("analysis.migrations", "jobs_queue"))


def downgrade() -> None:
    op.execute("DROP SCHEMA jobs_queue CASCADE")
