-- 005_vulns: vulnerability warnings imported centrally, each host's latest package inventory,
-- and the findings of matching one against the other.

-- The bytes of an imported advisory feed (OSV, KEV, CSAF, CVRF, the letter template), parsed
-- again whenever hosts are matched.
CREATE TABLE feed_blobs (
  feed_id BIGINT PRIMARY KEY REFERENCES feeds(id),
  body {{blob}} NOT NULL
);

-- The latest inventory an agent sent.
CREATE TABLE host_inventory (
  agent_id BIGINT PRIMARY KEY REFERENCES agents(id),
  ecosystem TEXT NOT NULL,           -- OSV ecosystem ("Debian:12"), '' when unknown
  packages TEXT NOT NULL,            -- JSON array of {name, version, arch, source, source_version}
  received_ms BIGINT NOT NULL
);

-- An installed package affected by a warning. 'fixed' once a later inventory is no longer
-- affected (the package was upgraded or removed).
CREATE TABLE host_vulns (
  id {{id}},
  agent_id BIGINT NOT NULL REFERENCES agents(id),
  feed_id BIGINT NOT NULL REFERENCES feeds(id),
  advisory TEXT NOT NULL,
  package TEXT NOT NULL,
  packages TEXT NOT NULL,
  installed TEXT NOT NULL,
  fixed TEXT,
  explain TEXT NOT NULL,
  title TEXT,
  severity TEXT,
  cvss DOUBLE PRECISION,
  exploited INTEGER NOT NULL DEFAULT -1,
  due_ms BIGINT,
  state TEXT NOT NULL,               -- 'open' | 'fixed'
  first_ms BIGINT NOT NULL,
  last_ms BIGINT NOT NULL,
  fixed_ms BIGINT,
  UNIQUE (agent_id, advisory, package)
);
CREATE INDEX host_vulns_agent ON host_vulns(agent_id, state);

-- Hosts whose inventory or the warnings changed: matched again by the server in the background.
ALTER TABLE agents ADD COLUMN vuln_dirty INTEGER NOT NULL DEFAULT 0;
CREATE INDEX agents_vuln_dirty ON agents(vuln_dirty);
