CREATE TABLE "platform_requests" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_platform_requests" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "CompanyId" TEXT NOT NULL,
    "Category" TEXT NOT NULL,
    "PlatformName" TEXT NOT NULL,
    "Note" TEXT NULL,
    "Locale" TEXT NOT NULL,
    "Created" TEXT NOT NULL,
    CONSTRAINT "FK_platform_requests_companies_CompanyId" FOREIGN KEY ("CompanyId") REFERENCES "companies" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_platform_requests_ClientId_Created" ON "platform_requests" ("ClientId", "Created");

CREATE INDEX "IX_platform_requests_CompanyId" ON "platform_requests" ("CompanyId");
