-- rbnav: the shared incident timeline in PostgreSQL.
--
-- rbnav runs this whole script, in one transaction, each time it
-- connects to the shared timeline (timeline_db: in the config, or
-- --timeline-db).  It is never destructive: each migration runs
-- once, in order, under an advisory lock, and records itself in
-- rbnav_schema.  A later rbnav adds migrations at the end; it
-- never edits one that has shipped.  The same text is compiled
-- into rbnav (src/shared.c); a test keeps the two equal.
--
-- rbnav_events keeps each event's journal line whole (line: the
-- exact bytes of the local journal, without the newline) plus
-- columns to query by.  (incident, origin, seq) is unique: an
-- event sent again after a reconnect is stored once.  origin
-- names one operator's journal.  rbnav_incidents.heads maps each
-- origin to its highest seq stored, updated in the same
-- transaction, so that a reader finds the new events of each
-- origin with one index range scan.
--
-- The pen (who drives the step runner) lives in rbnav_incidents:
-- pen_holder is the operator, pen_origin the journal that holds
-- it (NULL while a handover waits for the receiver to claim it),
-- pen_heartbeat is refreshed every 10 s by the holder; after 60 s
-- without one anyone may take the pen.  Changes are announced
-- with NOTIFY on rbnav_events (new events) and rbnav_pen (the
-- pen), the incident id as payload.

SELECT pg_advisory_xact_lock(2026112601);

DO $rbnav$
BEGIN
	IF to_regclass('rbnav_schema') IS NULL THEN
		CREATE TABLE rbnav_schema (
			version		integer PRIMARY KEY,
			description	text NOT NULL,
			applied		timestamptz NOT NULL DEFAULT now()
		);
	END IF;

	-- 1: incidents, events, the pen.
	IF NOT EXISTS (SELECT 1 FROM rbnav_schema WHERE version = 1) THEN
		CREATE TABLE rbnav_incidents (
			id		text PRIMARY KEY,
			title		text,
			runbook		text,
			scenario	text,
			mode		text,
			host		text,
			started		timestamptz NOT NULL,
			started_by	text,
			last_event	timestamptz,
			ended		timestamptz,
			outcome		text,
			heads		jsonb NOT NULL DEFAULT '{}',
			pen_holder	text,
			pen_origin	text,
			pen_heartbeat	timestamptz
		);
		CREATE TABLE rbnav_events (
			incident	text NOT NULL,
			origin		text NOT NULL,
			seq		bigint NOT NULL,
			ts		timestamptz NOT NULL,
			op		text NOT NULL,
			type		text NOT NULL,
			line		text NOT NULL,
			stored		timestamptz NOT NULL DEFAULT now(),
			PRIMARY KEY (incident, origin, seq)
		);
		CREATE INDEX rbnav_events_time
		    ON rbnav_events (incident, ts, origin, seq);
		CREATE INDEX rbnav_incidents_open
		    ON rbnav_incidents (started) WHERE ended IS NULL;
		INSERT INTO rbnav_schema (version, description)
		    VALUES (1, 'incidents, events, pen');
	END IF;
END
$rbnav$;

SELECT max(version) FROM rbnav_schema;
