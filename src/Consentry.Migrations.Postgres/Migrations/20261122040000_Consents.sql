CREATE TABLE products (
    "Id" uuid NOT NULL,
    "ClientId" uuid NOT NULL,
    "Identifier" character varying(50) NOT NULL,
    "Name" character varying(100) NOT NULL,
    "Description" character varying(1000),
    "DataTypes" text NOT NULL,
    "Created" timestamp with time zone NOT NULL,
    "Updated" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_products" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_products_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES clients ("Id") ON DELETE CASCADE
);

CREATE TABLE company_products (
    "CompanyId" uuid NOT NULL,
    "ProductIdentifier" character varying(50) NOT NULL,
    "ClientId" uuid NOT NULL,
    "Added" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_company_products" PRIMARY KEY ("CompanyId", "ProductIdentifier"),
    CONSTRAINT "FK_company_products_companies_CompanyId" FOREIGN KEY ("CompanyId") REFERENCES companies ("Id") ON DELETE CASCADE
);

CREATE TABLE consent_records (
    "Id" uuid NOT NULL,
    "ClientId" uuid NOT NULL,
    "CompanyId" uuid NOT NULL,
    "ConnectionId" uuid,
    "PlatformKey" character varying(16),
    "ProductIdentifier" character varying(50),
    "Action" character varying(32) NOT NULL,
    "DataTypes" text NOT NULL,
    "TextHash" character varying(64),
    "TextVersion" integer,
    "Actor" character varying(32) NOT NULL,
    "ActorId" character varying(100),
    "IpAddress" character varying(64),
    "UserAgent" character varying(500),
    "Reason" character varying(200),
    "At" timestamp with time zone NOT NULL,
    "Recorded" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_consent_records" PRIMARY KEY ("Id")
);

CREATE TABLE consent_texts (
    "Hash" character varying(64) NOT NULL,
    "ClientId" uuid NOT NULL,
    "Text" text NOT NULL,
    "Created" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_consent_texts" PRIMARY KEY ("Hash")
);

CREATE TABLE connection_consents (
    "ConnectionId" uuid NOT NULL,
    "ProductIdentifier" character varying(50) NOT NULL,
    "ClientId" uuid NOT NULL,
    "CompanyId" uuid NOT NULL,
    "Status" character varying(32) NOT NULL,
    "DataTypes" text NOT NULL,
    "LastRecordId" uuid NOT NULL,
    "Updated" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_connection_consents" PRIMARY KEY ("ConnectionId", "ProductIdentifier"),
    CONSTRAINT "FK_connection_consents_connections_ConnectionId" FOREIGN KEY ("ConnectionId") REFERENCES connections ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_products_ClientId_Identifier" ON products ("ClientId", "Identifier");

CREATE INDEX "IX_company_products_ClientId_ProductIdentifier" ON company_products ("ClientId", "ProductIdentifier");

CREATE INDEX "IX_consent_records_ClientId_CompanyId_At" ON consent_records ("ClientId", "CompanyId", "At");

CREATE INDEX "IX_consent_records_ConnectionId" ON consent_records ("ConnectionId");

CREATE INDEX "IX_connection_consents_CompanyId" ON connection_consents ("CompanyId");

ALTER TABLE connections ADD "ConsentExpiryWarnedAt" timestamp with time zone;

ALTER TABLE oauth_flows ADD "Consent" text;

CREATE FUNCTION consentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER consent_records_append_only BEFORE UPDATE OR DELETE ON consent_records FOR EACH ROW EXECUTE FUNCTION consentry_append_only();

CREATE TRIGGER consent_records_append_only_truncate BEFORE TRUNCATE ON consent_records FOR EACH STATEMENT EXECUTE FUNCTION consentry_append_only();

CREATE TRIGGER consent_texts_append_only BEFORE UPDATE OR DELETE ON consent_texts FOR EACH ROW EXECUTE FUNCTION consentry_append_only();

CREATE TRIGGER consent_texts_append_only_truncate BEFORE TRUNCATE ON consent_texts FOR EACH STATEMENT EXECUTE FUNCTION consentry_append_only();

-- Connections linked before the consent ledger existed were read under the customer's consent to every data type the
-- platform offered: they keep it, as a general consent (no ledger record: none was written at the time).
INSERT INTO connection_consents ("ConnectionId", "ProductIdentifier", "ClientId", "CompanyId", "Status", "DataTypes", "LastRecordId", "Updated")
SELECT "Id", '', "ClientId", "CompanyId", 'Active', '[]', '00000000-0000-0000-0000-000000000000'::uuid, "Created" FROM connections WHERE "Status" = 'Linked';
