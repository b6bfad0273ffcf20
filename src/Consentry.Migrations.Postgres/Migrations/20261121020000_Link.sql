ALTER TABLE clients ADD "LinkSettings" text;

ALTER TABLE connections ADD "ConsentExpiresAt" timestamp with time zone;

ALTER TABLE connections ADD "Errors" text NOT NULL DEFAULT '[]';

CREATE TABLE journey_events (
    "Id" uuid NOT NULL,
    "ClientId" uuid NOT NULL,
    "CompanyId" uuid NOT NULL,
    "ConnectionId" uuid,
    "Step" character varying(32) NOT NULL,
    "SourceType" character varying(32),
    "PlatformKey" character varying(16),
    "Detail" character varying(500),
    "At" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_journey_events" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_journey_events_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES clients ("Id") ON DELETE CASCADE
);

CREATE TABLE oauth_flows (
    "Id" uuid NOT NULL,
    "ClientId" uuid NOT NULL,
    "CompanyId" uuid NOT NULL,
    "ConnectionId" uuid NOT NULL,
    "PlatformKey" character varying(16) NOT NULL,
    "StateHash" bytea NOT NULL,
    "BrowserHash" bytea NOT NULL,
    "ProtectedCodeVerifier" text NOT NULL,
    "RedirectUri" character varying(2048) NOT NULL,
    "Journey" character varying(32) NOT NULL,
    "ReturnParameters" text NOT NULL,
    "Tenant" text NOT NULL,
    "Created" timestamp with time zone NOT NULL,
    "ExpiresAt" timestamp with time zone NOT NULL,
    "ConsumedAt" timestamp with time zone,
    CONSTRAINT "PK_oauth_flows" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_oauth_flows_companies_CompanyId" FOREIGN KEY ("CompanyId") REFERENCES companies ("Id") ON DELETE CASCADE
);

CREATE TABLE uploaded_files (
    "Id" uuid NOT NULL,
    "ClientId" uuid NOT NULL,
    "CompanyId" uuid NOT NULL,
    "Category" character varying(32) NOT NULL,
    "FileName" character varying(255) NOT NULL,
    "ContentType" character varying(100) NOT NULL,
    "Size" bigint NOT NULL,
    "StoredPath" character varying(1024) NOT NULL,
    "Uploaded" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_uploaded_files" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_uploaded_files_companies_CompanyId" FOREIGN KEY ("CompanyId") REFERENCES companies ("Id") ON DELETE CASCADE
);

CREATE TABLE connection_tokens (
    "ConnectionId" uuid NOT NULL,
    "ClientId" uuid NOT NULL,
    "ProtectedAccessToken" text NOT NULL,
    "ProtectedRefreshToken" text,
    "AccessTokenExpiresAt" timestamp with time zone,
    "Scope" text,
    "Tenant" text NOT NULL,
    "Updated" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_connection_tokens" PRIMARY KEY ("ConnectionId"),
    CONSTRAINT "FK_connection_tokens_connections_ConnectionId" FOREIGN KEY ("ConnectionId") REFERENCES connections ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_journey_events_ClientId_At" ON journey_events ("ClientId", "At");

CREATE INDEX "IX_journey_events_CompanyId_At" ON journey_events ("CompanyId", "At");

CREATE INDEX "IX_oauth_flows_CompanyId" ON oauth_flows ("CompanyId");

CREATE INDEX "IX_oauth_flows_ExpiresAt" ON oauth_flows ("ExpiresAt");

CREATE UNIQUE INDEX "IX_oauth_flows_StateHash" ON oauth_flows ("StateHash");

CREATE INDEX "IX_uploaded_files_CompanyId" ON uploaded_files ("CompanyId");
