-- 002_server: the central server's schema (issue 6). Portable SQL; {{id}} is the back end's
-- auto-numbered primary key, {{blob}} its binary type and {{key}} text sorted byte by byte
-- (db_migrate.c substitutes them).
-- Times are Unix milliseconds (UTC) in BIGINT columns named *_ms.

CREATE TABLE units (
  id {{id}},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_key {{key}} NOT NULL,         -- Vietnamese collation key (sorting and paging in SQL)
  parent_id BIGINT REFERENCES units(id),
  path TEXT NOT NULL,                -- materialised path of ids "/1/7/42/" for subtree scopes
  kind TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  pcs BIGINT NOT NULL DEFAULT -1,    -- PCs the unit declared
  merged_into BIGINT REFERENCES units(id),
  created_ms BIGINT NOT NULL,
  updated_ms BIGINT NOT NULL
);
CREATE INDEX units_path ON units(path);
CREATE INDEX units_name_key ON units(name_key, id);

-- Public source addresses of a unit: registered (prefix or address, from the units file or the
-- console) or observed (an agent's connections came from it). first/last seen bound when the
-- unit held it; a botnet listing at time t is attributed to the unit that held the address then.
CREATE TABLE unit_addrs (
  id {{id}},
  unit_id BIGINT NOT NULL REFERENCES units(id),
  addr TEXT NOT NULL,                -- canonical address or prefix
  source TEXT NOT NULL,              -- 'registered' | 'observed'
  first_ms BIGINT NOT NULL,
  last_ms BIGINT NOT NULL,           -- for registered: until (exclusive), 9e15 = open
  UNIQUE (unit_id, addr, source)
);

CREATE TABLE users (
  id {{id}},
  login TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  name_key {{key}} NOT NULL,
  pwhash TEXT NOT NULL,
  role TEXT NOT NULL,                -- 'dept_admin' | 'unit_admin' | 'viewer'
  unit_id BIGINT NOT NULL REFERENCES units(id),
  totp_secret TEXT,                  -- base32, NULL until enrolled
  totp_pending TEXT,                 -- a secret shown but not yet confirmed
  must_change INTEGER NOT NULL DEFAULT 1,
  lang TEXT NOT NULL DEFAULT 'vi',
  disabled INTEGER NOT NULL DEFAULT 0,
  created_ms BIGINT NOT NULL
);

CREATE TABLE sessions (
  hash TEXT PRIMARY KEY,             -- SHA-256 of the cookie value
  user_id BIGINT NOT NULL REFERENCES users(id),
  csrf TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  expires_ms BIGINT NOT NULL,
  last_ms BIGINT NOT NULL,
  ip TEXT NOT NULL
);

CREATE TABLE api_tokens (
  id {{id}},
  hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  expires_ms BIGINT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE enroll_tokens (
  id {{id}},
  hash TEXT NOT NULL UNIQUE,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  created_by BIGINT REFERENCES users(id),
  created_ms BIGINT NOT NULL,
  expires_ms BIGINT NOT NULL,
  max_uses BIGINT NOT NULL,
  uses BIGINT NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0
);

-- One enrolled agent (one host). uid is the public id; the secret is kept only as SHA-256.
CREATE TABLE agents (
  id {{id}},
  uid TEXT NOT NULL UNIQUE,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  secret_hash TEXT NOT NULL UNIQUE,
  revoked INTEGER NOT NULL DEFAULT 0,
  hostname TEXT NOT NULL DEFAULT '',
  os TEXT NOT NULL DEFAULT '',
  machine_id TEXT NOT NULL DEFAULT '',
  macs TEXT NOT NULL DEFAULT '',     -- sorted, comma-separated
  facts TEXT NOT NULL DEFAULT '{}',  -- the last facts object (JSON)
  self TEXT NOT NULL DEFAULT '{}',   -- its own CPU/memory/spool figures (JSON)
  epoch TEXT NOT NULL,
  hw_seq BIGINT NOT NULL DEFAULT 0,  -- highest stored sequence of the current epoch
  cloned_from BIGINT REFERENCES agents(id),
  enrolled_ms BIGINT NOT NULL,
  last_seen_ms BIGINT NOT NULL,
  last_ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX agents_unit ON agents(unit_id);

-- Addresses of hosts: reported by the agent, or seen by the server as the request source.
CREATE TABLE host_addrs (
  agent_id BIGINT NOT NULL REFERENCES agents(id),
  addr TEXT NOT NULL,
  source TEXT NOT NULL,              -- 'reported' | 'seen'
  first_ms BIGINT NOT NULL,
  last_ms BIGINT NOT NULL,
  PRIMARY KEY (agent_id, addr, source)
);
CREATE INDEX host_addrs_addr ON host_addrs(addr);

-- Exactly-once: one row per (agent, epoch, seq) ever stored, with the event's digest.
CREATE TABLE event_keys (
  agent_id BIGINT NOT NULL,
  epoch TEXT NOT NULL,
  seq BIGINT NOT NULL,
  digest TEXT NOT NULL,
  received_ms BIGINT NOT NULL,
  PRIMARY KEY (agent_id, epoch, seq)
);
CREATE INDEX event_keys_received ON event_keys(received_ms);

CREATE TABLE alerts (
  id {{id}},
  unit_id BIGINT NOT NULL REFERENCES units(id),
  agent_id BIGINT REFERENCES agents(id),
  kind TEXT NOT NULL,
  severity INTEGER NOT NULL,
  dedupe TEXT NOT NULL UNIQUE,       -- same problem on the same host = one alert
  title TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}', -- JSON: the evidence
  state TEXT NOT NULL DEFAULT 'new', -- 'new' | 'acknowledged' | 'resolved'
  assignee_id BIGINT REFERENCES users(id),
  count BIGINT NOT NULL DEFAULT 1,
  first_ms BIGINT NOT NULL,
  last_ms BIGINT NOT NULL,
  updated_ms BIGINT NOT NULL
);
CREATE INDEX alerts_unit_state ON alerts(unit_id, state, last_ms);

CREATE TABLE alert_comments (
  id {{id}},
  alert_id BIGINT NOT NULL REFERENCES alerts(id),
  user_id BIGINT REFERENCES users(id),
  ms BIGINT NOT NULL,
  text TEXT NOT NULL
);

-- Files an agent reported (malware findings): a quarantine task may name only these.
CREATE TABLE host_files (
  agent_id BIGINT NOT NULL REFERENCES agents(id),
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  signature TEXT NOT NULL DEFAULT '',
  first_ms BIGINT NOT NULL,
  last_ms BIGINT NOT NULL,
  quarantined INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (agent_id, path, sha256)
);

CREATE TABLE tasks (
  id {{id}},
  agent_id BIGINT NOT NULL REFERENCES agents(id),
  kind TEXT NOT NULL,
  args TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL DEFAULT 'queued', -- queued, sent, running, done, failed
  result TEXT NOT NULL DEFAULT '{}',
  created_by BIGINT REFERENCES users(id),
  created_ms BIGINT NOT NULL,
  updated_ms BIGINT NOT NULL
);
CREATE INDEX tasks_agent_state ON tasks(agent_id, state);

CREATE TABLE feeds (
  id {{id}},
  kind TEXT NOT NULL,                -- 'botnet' | 'ioc' | 'advisory'
  name TEXT NOT NULL,
  source TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  entries BIGINT NOT NULL,
  imported_by BIGINT REFERENCES users(id),
  imported_ms BIGINT NOT NULL,
  UNIQUE (kind, sha256)
);

CREATE TABLE feed_ips (
  feed_id BIGINT NOT NULL REFERENCES feeds(id),
  addr TEXT NOT NULL,
  listed_ms BIGINT,                  -- when listed (the row's time), NULL when not given
  family TEXT,
  line BIGINT NOT NULL,
  PRIMARY KEY (feed_id, addr, line)
);
CREATE INDEX feed_ips_addr ON feed_ips(addr);

-- A listed address attributed to a unit (and to a host when an agent had it): the triage work.
CREATE TABLE botnet_matches (
  id {{id}},
  feed_id BIGINT NOT NULL REFERENCES feeds(id),
  addr TEXT NOT NULL,
  listed_ms BIGINT,
  family TEXT,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  agent_id BIGINT REFERENCES agents(id),
  state TEXT NOT NULL DEFAULT 'open', -- 'open' | 'handled'
  action TEXT NOT NULL DEFAULT '',
  handled_by BIGINT REFERENCES users(id),
  handled_ms BIGINT,
  UNIQUE (feed_id, addr, unit_id)
);
CREATE INDEX botnet_matches_unit ON botnet_matches(unit_id, state);

CREATE TABLE audit (
  id {{id}},
  ms BIGINT NOT NULL,
  user_id BIGINT,
  actor TEXT NOT NULL,               -- login, "agent:<uid>" or "system"
  ip TEXT NOT NULL,
  action TEXT NOT NULL,              -- e.g. "unit.create", "alert.update"
  object TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_ms ON audit(ms);
