ALTER TABLE "datasets" ADD "Cursor" TEXT NULL;

ALTER TABLE "oauth_flows" ADD "PendingAccounts" text NULL;

ALTER TABLE "integration_settings" ADD "Scopes" text NULL;
