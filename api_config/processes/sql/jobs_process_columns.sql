-- The process running each job (api_config.processes.liveness): pid, host, boot id, start time.
ALTER TABLE {table}
    ADD COLUMN IF NOT EXISTS pid integer,
    ADD COLUMN IF NOT EXISTS host text,
    ADD COLUMN IF NOT EXISTS boot_id text,
    ADD COLUMN IF NOT EXISTS proc_start bigint
