-- The authority keeps a forwarded request's answer only while a retry of it can still be accepted
-- (ForwardedAnswers.RETENTION) and deletes older rows by their time. Portable between H2 2.x and PostgreSQL.
CREATE INDEX consortium_forwarded_created_at ON consortium_forwarded (created_at);
