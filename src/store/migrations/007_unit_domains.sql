-- 007_unit_domains: the units' registered domains (the units file's "Tên miền" column, or added
-- through the API), shown in the console beside the registered addresses.
CREATE TABLE unit_domains (
  unit_id BIGINT NOT NULL REFERENCES units(id),
  domain TEXT NOT NULL,              -- cg_domain_normalize(): lower case, no trailing dot
  created_ms BIGINT NOT NULL,
  PRIMARY KEY (unit_id, domain)
);
CREATE INDEX unit_domains_domain ON unit_domains(domain);
