-- 001: key/value settings of the database itself (e.g. the server's instance id).
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
