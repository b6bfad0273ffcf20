CREATE TABLE "products" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_products" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "Identifier" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Description" TEXT NULL,
    "DataTypes" text NOT NULL,
    "Created" TEXT NOT NULL,
    "Updated" TEXT NOT NULL,
    CONSTRAINT "FK_products_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES "clients" ("Id") ON DELETE CASCADE
);

CREATE TABLE "company_products" (
    "CompanyId" TEXT NOT NULL,
    "ProductIdentifier" TEXT NOT NULL,
    "ClientId" TEXT NOT NULL,
    "Added" TEXT NOT NULL,
    CONSTRAINT "PK_company_products" PRIMARY KEY ("CompanyId", "ProductIdentifier"),
    CONSTRAINT "FK_company_products_companies_CompanyId" FOREIGN KEY ("CompanyId") REFERENCES "companies" ("Id") ON DELETE CASCADE
);

CREATE TABLE "consent_records" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_consent_records" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "CompanyId" TEXT NOT NULL,
    "ConnectionId" TEXT NULL,
    "PlatformKey" TEXT NULL,
    "ProductIdentifier" TEXT NULL,
    "Action" TEXT NOT NULL,
    "DataTypes" text NOT NULL,
    "TextHash" TEXT NULL,
    "TextVersion" INTEGER NULL,
    "Actor" TEXT NOT NULL,
    "ActorId" TEXT NULL,
    "IpAddress" TEXT NULL,
    "UserAgent" TEXT NULL,
    "Reason" TEXT NULL,
    "At" TEXT NOT NULL,
    "Recorded" TEXT NOT NULL
);

CREATE TABLE "consent_texts" (
    "Hash" TEXT NOT NULL CONSTRAINT "PK_consent_texts" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "Created" TEXT NOT NULL
);

CREATE TABLE "connection_consents" (
    "ConnectionId" TEXT NOT NULL,
    "ProductIdentifier" TEXT NOT NULL,
    "ClientId" TEXT NOT NULL,
    "CompanyId" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "DataTypes" text NOT NULL,
    "LastRecordId" TEXT NOT NULL,
    "Updated" TEXT NOT NULL,
    CONSTRAINT "PK_connection_consents" PRIMARY KEY ("ConnectionId", "ProductIdentifier"),
    CONSTRAINT "FK_connection_consents_connections_ConnectionId" FOREIGN KEY ("ConnectionId") REFERENCES "connections" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_products_ClientId_Identifier" ON "products" ("ClientId", "Identifier");

CREATE INDEX "IX_company_products_ClientId_ProductIdentifier" ON "company_products" ("ClientId", "ProductIdentifier");

CREATE INDEX "IX_consent_records_ClientId_CompanyId_At" ON "consent_records" ("ClientId", "CompanyId", "At");

CREATE INDEX "IX_consent_records_ConnectionId" ON "consent_records" ("ConnectionId");

CREATE INDEX "IX_connection_consents_CompanyId" ON "connection_consents" ("CompanyId");

ALTER TABLE "connections" ADD "ConsentExpiryWarnedAt" TEXT NULL;

ALTER TABLE "oauth_flows" ADD "Consent" text NULL;

CREATE TRIGGER "consent_records_append_only_update" BEFORE UPDATE ON "consent_records"
BEGIN
    SELECT RAISE(ABORT, 'consent_records is append-only');
END;

CREATE TRIGGER "consent_records_append_only_delete" BEFORE DELETE ON "consent_records"
BEGIN
    SELECT RAISE(ABORT, 'consent_records is append-only');
END;

CREATE TRIGGER "consent_texts_append_only_update" BEFORE UPDATE ON "consent_texts"
BEGIN
    SELECT RAISE(ABORT, 'consent_texts is append-only');
END;

CREATE TRIGGER "consent_texts_append_only_delete" BEFORE DELETE ON "consent_texts"
BEGIN
    SELECT RAISE(ABORT, 'consent_texts is append-only');
END;

-- Connections linked before the consent ledger existed were read under the customer's consent to every data type the
-- platform offered: they keep it, as a general consent (no ledger record: none was written at the time).
INSERT INTO "connection_consents" ("ConnectionId", "ProductIdentifier", "ClientId", "CompanyId", "Status", "DataTypes", "LastRecordId", "Updated")
SELECT "Id", '', "ClientId", "CompanyId", 'Active', '[]', '00000000-0000-0000-0000-000000000000', "Created" FROM "connections" WHERE "Status" = 'Linked';
