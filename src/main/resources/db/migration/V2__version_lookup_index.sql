-- vread and instance history look versions up by type and logical id.
CREATE INDEX ix_version_resource ON res_version (res_type, res_id, version_id);
