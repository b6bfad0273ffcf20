CREATE TABLE "clients" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_clients" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Created" TEXT NOT NULL,
    "Profile_LogoUrl" TEXT NULL,
    "Profile_IconUrl" TEXT NULL,
    "Profile_RedirectUrl" TEXT NOT NULL,
    "Profile_WhiteListUrls" TEXT NOT NULL,
    "AllowedOrigins" TEXT NOT NULL,
    "SyncSettings" text NULL
);


CREATE TABLE "data_protection_keys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_data_protection_keys" PRIMARY KEY AUTOINCREMENT,
    "FriendlyName" TEXT NULL,
    "Xml" TEXT NOT NULL
);


CREATE TABLE "api_keys" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_api_keys" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "Name" TEXT NULL,
    "Hash" BLOB NOT NULL,
    "Hint" TEXT NOT NULL,
    "Created" TEXT NOT NULL,
    CONSTRAINT "FK_api_keys_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES "clients" ("Id") ON DELETE CASCADE
);


CREATE TABLE "companies" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_companies" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Description" TEXT NULL,
    "Created" TEXT NOT NULL,
    "LastSync" TEXT NULL,
    "SyncSettings" text NULL,
    CONSTRAINT "FK_companies_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES "clients" ("Id") ON DELETE CASCADE
);


CREATE TABLE "integration_settings" (
    "ClientId" TEXT NOT NULL,
    "PlatformKey" TEXT NOT NULL,
    "Enabled" INTEGER NULL,
    "OAuthClientId" TEXT NULL,
    "ProtectedClientSecret" TEXT NULL,
    "Updated" TEXT NOT NULL,
    CONSTRAINT "PK_integration_settings" PRIMARY KEY ("ClientId", "PlatformKey"),
    CONSTRAINT "FK_integration_settings_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES "clients" ("Id") ON DELETE CASCADE
);


CREATE TABLE "company_tags" (
    "CompanyId" TEXT NOT NULL,
    "Key" TEXT NOT NULL,
    "Value" TEXT NOT NULL,
    CONSTRAINT "PK_company_tags" PRIMARY KEY ("CompanyId", "Key"),
    CONSTRAINT "FK_company_tags_companies_CompanyId" FOREIGN KEY ("CompanyId") REFERENCES "companies" ("Id") ON DELETE CASCADE
);


CREATE TABLE "connections" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_connections" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "CompanyId" TEXT NOT NULL,
    "IntegrationKey" TEXT NOT NULL,
    "IntegrationId" TEXT NOT NULL,
    "SourceId" TEXT NOT NULL,
    "SourceType" TEXT NOT NULL,
    "PlatformName" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Created" TEXT NOT NULL,
    "LastSync" TEXT NULL,
    CONSTRAINT "FK_connections_companies_CompanyId" FOREIGN KEY ("CompanyId") REFERENCES "companies" ("Id") ON DELETE CASCADE
);


CREATE INDEX "IX_api_keys_ClientId" ON "api_keys" ("ClientId");


CREATE UNIQUE INDEX "IX_api_keys_Hash" ON "api_keys" ("Hash");


CREATE INDEX "IX_companies_ClientId_Created" ON "companies" ("ClientId", "Created");


CREATE INDEX "IX_companies_ClientId_Name" ON "companies" ("ClientId", "Name");


CREATE INDEX "IX_company_tags_Key_Value" ON "company_tags" ("Key", "Value");


CREATE INDEX "IX_connections_ClientId_CompanyId" ON "connections" ("ClientId", "CompanyId");


CREATE INDEX "IX_connections_CompanyId_Created" ON "connections" ("CompanyId", "Created");


CREATE UNIQUE INDEX "ux_connections_one_accounting_per_company" ON "connections" ("CompanyId") WHERE "SourceType" = 'Accounting' AND "Status" <> 'Unlinked';



