SELECT table_name, version FROM catalog.data_versions
WHERE split_part(table_name, '.', 1) IN ('land', 'infrastructure', 'environment')
