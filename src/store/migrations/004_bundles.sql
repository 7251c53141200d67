-- 004_bundles: signed signature bundles and agent programs distributed to agents, the canary
-- group, and the clean full scans that back a botnet listing's "handled".

-- One signed package: a signature bundle (kind 'bundle') or an agent program (kind 'agent').
-- Its files live under DATA_DIR/server/bundles/<kind>-<version>/<index>.
CREATE TABLE bundles (
  id {{id}},
  kind TEXT NOT NULL,                -- 'bundle' | 'agent'
  version TEXT NOT NULL,
  name TEXT NOT NULL,
  manifest TEXT NOT NULL,            -- manifest.json, byte for byte as signed
  signature TEXT NOT NULL,           -- manifest.json.sig as uploaded (base64)
  manifest_sha256 TEXT NOT NULL,
  expires_ms BIGINT,                 -- NULL: never
  nfiles INTEGER NOT NULL,
  total_bytes BIGINT NOT NULL,
  state TEXT NOT NULL,               -- 'uploading' | 'ready' | 'canary' | 'released' | 'withdrawn'
  created_ms BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  updated_ms BIGINT NOT NULL,
  UNIQUE (kind, version)
);

ALTER TABLE agents ADD COLUMN canary INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agents ADD COLUMN bundle_version TEXT NOT NULL DEFAULT '';
ALTER TABLE agents ADD COLUMN agent_version TEXT NOT NULL DEFAULT '';
-- The end of the last full scan without findings made with a signed (Department) bundle.
ALTER TABLE agents ADD COLUMN clean_scan_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE agents ADD COLUMN clean_scan_bundle TEXT NOT NULL DEFAULT '';
