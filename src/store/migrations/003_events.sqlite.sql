-- 003_events (SQLite): the events the agents send, one row each.
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  agent_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  received_ms BIGINT NOT NULL,
  time_ms BIGINT NOT NULL,
  kind TEXT NOT NULL,
  severity INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX events_received ON events(received_ms);
CREATE INDEX events_agent ON events(agent_id, received_ms);
