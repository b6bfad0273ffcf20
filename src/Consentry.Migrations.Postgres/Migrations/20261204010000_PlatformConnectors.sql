ALTER TABLE datasets ADD "Cursor" character varying(2048);

ALTER TABLE oauth_flows ADD "PendingAccounts" text;

ALTER TABLE integration_settings ADD "Scopes" text;
