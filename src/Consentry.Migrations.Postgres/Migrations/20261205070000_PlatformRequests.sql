CREATE TABLE platform_requests (
    "Id" uuid NOT NULL,
    "ClientId" uuid NOT NULL,
    "CompanyId" uuid NOT NULL,
    "Category" character varying(32) NOT NULL,
    "PlatformName" character varying(100) NOT NULL,
    "Note" character varying(500),
    "Locale" character varying(16) NOT NULL,
    "Created" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_platform_requests" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_platform_requests_companies_CompanyId" FOREIGN KEY ("CompanyId") REFERENCES companies ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_platform_requests_ClientId_Created" ON platform_requests ("ClientId", "Created");

CREATE INDEX "IX_platform_requests_CompanyId" ON platform_requests ("CompanyId");
