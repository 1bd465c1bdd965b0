ALTER TABLE analysis.indicator_runs DROP COLUMN execution;
