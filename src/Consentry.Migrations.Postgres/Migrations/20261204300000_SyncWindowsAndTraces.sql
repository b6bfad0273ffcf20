ALTER TABLE datasets ADD "SyncFrom" timestamp with time zone;

ALTER TABLE datasets ADD "TraceParent" character varying(64);

ALTER TABLE webhook_events ADD "TraceParent" character varying(64);
