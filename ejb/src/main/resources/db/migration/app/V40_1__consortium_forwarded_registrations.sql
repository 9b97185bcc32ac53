-- The consortium's authority (issue 13): the answer to every registration another node forwarded,
-- keyed by the signed request's content (purpose, node, payload; not its time, nonce or
-- signature). A node that retries the same registration gets the same answer back instead of a
-- second registration or ALREADY_REGISTERED. The answer is sealed to the registering party's KEM
-- key (only that party opens it). Portable between H2 2.x and PostgreSQL.
CREATE TABLE consortium_forwarded (
    content_hash VARCHAR(64)  NOT NULL PRIMARY KEY,
    node_id      VARCHAR(128) NOT NULL,
    purpose      VARCHAR(128) NOT NULL,
    answer       BYTEA        NOT NULL,
    created_at   BIGINT       NOT NULL
);
