-- One schema for SQLite and PostgreSQL: only types and syntax both accept. Times are epoch milliseconds (UTC),
-- ids are UUID strings, JSON is text, so a row reads back byte for byte on either database (the audit hash chain
-- depends on that).

CREATE TABLE projects (
    id             VARCHAR(36)  PRIMARY KEY,
    name           VARCHAR(200) NOT NULL UNIQUE,
    is_active      BOOLEAN      NOT NULL DEFAULT TRUE,
    deactivated_at BIGINT,
    created_at     BIGINT       NOT NULL,
    updated_at     BIGINT       NOT NULL
);

-- One row per provider; ciphertext is AES-256-GCM bound to (project_id, provider), never the key itself.
CREATE TABLE project_provider_keys (
    project_id VARCHAR(36) NOT NULL REFERENCES projects (id),
    provider   VARCHAR(64) NOT NULL,
    ciphertext TEXT        NOT NULL,
    updated_at BIGINT      NOT NULL,
    PRIMARY KEY (project_id, provider)
);

-- key_hash is the SHA-256 hex of the secret, which is shown once and never stored; key_prefix is its first
-- characters, enough for a person to recognise a key in a list.
CREATE TABLE virtual_keys (
    id             VARCHAR(36)  PRIMARY KEY,
    project_id     VARCHAR(36)  NOT NULL REFERENCES projects (id),
    name           VARCHAR(200),
    key_hash       CHAR(64)     NOT NULL UNIQUE,
    key_prefix     VARCHAR(16)  NOT NULL,
    expires_at     BIGINT,
    revoked_at     BIGINT,
    max_requests   BIGINT,
    request_count  BIGINT       NOT NULL DEFAULT 0,
    allowed_models TEXT         NOT NULL DEFAULT '[]',
    metadata       TEXT         NOT NULL DEFAULT '{}',
    created_at     BIGINT       NOT NULL,
    last_used_at   BIGINT
);
CREATE INDEX virtual_keys_project_id ON virtual_keys (project_id);

-- Append-only; seq is assigned by the writer from audit_head, so entries are contiguous and a gap shows a deletion.
CREATE TABLE audit_log (
    seq            BIGINT       PRIMARY KEY,
    occurred_at    BIGINT       NOT NULL,
    actor          VARCHAR(200) NOT NULL,
    action         VARCHAR(100) NOT NULL,
    target         VARCHAR(300),
    outcome        VARCHAR(32)  NOT NULL,
    request_id     VARCHAR(100),
    client_address VARCHAR(100),
    details        TEXT         NOT NULL,
    prev_hash      CHAR(64)     NOT NULL,
    hash           CHAR(64)     NOT NULL
);
CREATE INDEX audit_log_action ON audit_log (action);
CREATE INDEX audit_log_occurred_at ON audit_log (occurred_at);

-- The chain's head: every append locks this one row, which serialises writers across gateway instances sharing
-- the database, and the verifier checks the last entry against it, so dropping the newest entries shows too.
CREATE TABLE audit_head (
    id   INTEGER  PRIMARY KEY,
    seq  BIGINT   NOT NULL,
    hash CHAR(64) NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
