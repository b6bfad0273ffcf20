ALTER TABLE "clients" ADD "LinkSettings" text NULL;

ALTER TABLE "connections" ADD "ConsentExpiresAt" TEXT NULL;

ALTER TABLE "connections" ADD "Errors" text NOT NULL DEFAULT '[]';

CREATE TABLE "journey_events" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_journey_events" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "CompanyId" TEXT NOT NULL,
    "ConnectionId" TEXT NULL,
    "Step" TEXT NOT NULL,
    "SourceType" TEXT NULL,
    "PlatformKey" TEXT NULL,
    "Detail" TEXT NULL,
    "At" TEXT NOT NULL,
    CONSTRAINT "FK_journey_events_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES "clients" ("Id") ON DELETE CASCADE
);

CREATE TABLE "oauth_flows" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_oauth_flows" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "CompanyId" TEXT NOT NULL,
    "ConnectionId" TEXT NOT NULL,
    "PlatformKey" TEXT NOT NULL,
    "StateHash" BLOB NOT NULL,
    "BrowserHash" BLOB NOT NULL,
    "ProtectedCodeVerifier" TEXT NOT NULL,
    "RedirectUri" TEXT NOT NULL,
    "Journey" TEXT NOT NULL,
    "ReturnParameters" text NOT NULL,
    "Tenant" text NOT NULL,
    "Created" TEXT NOT NULL,
    "ExpiresAt" TEXT NOT NULL,
    "ConsumedAt" TEXT NULL,
    CONSTRAINT "FK_oauth_flows_companies_CompanyId" FOREIGN KEY ("CompanyId") REFERENCES "companies" ("Id") ON DELETE CASCADE
);

CREATE TABLE "uploaded_files" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_uploaded_files" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "CompanyId" TEXT NOT NULL,
    "Category" TEXT NOT NULL,
    "FileName" TEXT NOT NULL,
    "ContentType" TEXT NOT NULL,
    "Size" INTEGER NOT NULL,
    "StoredPath" TEXT NOT NULL,
    "Uploaded" TEXT NOT NULL,
    CONSTRAINT "FK_uploaded_files_companies_CompanyId" FOREIGN KEY ("CompanyId") REFERENCES "companies" ("Id") ON DELETE CASCADE
);

CREATE TABLE "connection_tokens" (
    "ConnectionId" TEXT NOT NULL CONSTRAINT "PK_connection_tokens" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "ProtectedAccessToken" TEXT NOT NULL,
    "ProtectedRefreshToken" TEXT NULL,
    "AccessTokenExpiresAt" TEXT NULL,
    "Scope" TEXT NULL,
    "Tenant" text NOT NULL,
    "Updated" TEXT NOT NULL,
    CONSTRAINT "FK_connection_tokens_connections_ConnectionId" FOREIGN KEY ("ConnectionId") REFERENCES "connections" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_journey_events_ClientId_At" ON "journey_events" ("ClientId", "At");

CREATE INDEX "IX_journey_events_CompanyId_At" ON "journey_events" ("CompanyId", "At");

CREATE INDEX "IX_oauth_flows_CompanyId" ON "oauth_flows" ("CompanyId");

CREATE INDEX "IX_oauth_flows_ExpiresAt" ON "oauth_flows" ("ExpiresAt");

CREATE UNIQUE INDEX "IX_oauth_flows_StateHash" ON "oauth_flows" ("StateHash");

CREATE INDEX "IX_uploaded_files_CompanyId" ON "uploaded_files" ("CompanyId");
