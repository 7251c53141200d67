-- 008_totp_step: the last TOTP time step a user's code was accepted for (Unix seconds / 30), so
-- that a code is taken once (RFC 6238 section 5.2): a login or a confirmation needs a later step.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
