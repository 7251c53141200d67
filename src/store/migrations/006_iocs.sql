-- 006_iocs: file-hash indicators of imported IOC lists, which agents download and match against
-- the digests of every file they ever scanned (their scan caches).
CREATE TABLE feed_iocs (
  id {{id}},
  feed_id BIGINT NOT NULL REFERENCES feeds(id),
  type TEXT NOT NULL,                -- 'md5' | 'sha1' | 'sha256'
  value TEXT NOT NULL,               -- lower-case hex
  family TEXT,
  line BIGINT NOT NULL
);
CREATE INDEX feed_iocs_feed ON feed_iocs(feed_id);
-- The hashes a feed gave (what agents must hold), so that a heartbeat need not count them.
ALTER TABLE feeds ADD COLUMN hashes BIGINT NOT NULL DEFAULT 0;
