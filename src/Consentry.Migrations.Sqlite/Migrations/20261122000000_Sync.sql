-- The sync engine: datasets (pull operations), the reads they belong to, schedules and the record cache.
CREATE TABLE "sync_reads" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_sync_reads" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "CompanyId" TEXT NOT NULL,
    "IsInitial" INTEGER NOT NULL,
    "Requested" TEXT NOT NULL,
    "Remaining" INTEGER NOT NULL,
    "Completed" TEXT NULL,
    CONSTRAINT "FK_sync_reads_companies_CompanyId" FOREIGN KEY ("CompanyId") REFERENCES "companies" ("Id") ON DELETE CASCADE
);

CREATE TABLE "datasets" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_datasets" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "CompanyId" TEXT NOT NULL,
    "ConnectionId" TEXT NOT NULL,
    "ReadId" TEXT NOT NULL,
    "DataType" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "StatusDescription" TEXT NULL,
    "ErrorMessage" TEXT NULL,
    "Requested" TEXT NOT NULL,
    "Started" TEXT NULL,
    "Completed" TEXT NULL,
    "Progress" INTEGER NOT NULL,
    "IsInitial" INTEGER NOT NULL,
    "ModifiedSince" TEXT NULL,
    "NextPage" INTEGER NOT NULL,
    "RecordsRead" INTEGER NOT NULL,
    "TotalRecords" INTEGER NULL,
    "NextAttemptAt" TEXT NOT NULL,
    "RateLimitWaits" INTEGER NOT NULL,
    "LeaseOwner" TEXT NULL,
    "Worker" TEXT NULL,
    "LeaseExpiresAt" TEXT NULL,
    CONSTRAINT "FK_datasets_companies_CompanyId" FOREIGN KEY ("CompanyId") REFERENCES "companies" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_datasets_connections_ConnectionId" FOREIGN KEY ("ConnectionId") REFERENCES "connections" ("Id") ON DELETE CASCADE
);

CREATE TABLE "records" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_records" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "CompanyId" TEXT NOT NULL,
    "ConnectionId" TEXT NOT NULL,
    "DataType" TEXT NOT NULL,
    "RecordId" TEXT NOT NULL,
    "ModifiedDate" TEXT NULL,
    "Updated" TEXT NOT NULL,
    "Data" TEXT NOT NULL,
    CONSTRAINT "FK_records_connections_ConnectionId" FOREIGN KEY ("ConnectionId") REFERENCES "connections" ("Id") ON DELETE CASCADE
);

CREATE TABLE "sync_schedules" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_sync_schedules" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "CompanyId" TEXT NOT NULL,
    "ConnectionId" TEXT NOT NULL,
    "DataType" TEXT NOT NULL,
    "IntervalHours" INTEGER NOT NULL,
    "NextSyncAt" TEXT NOT NULL,
    "Watermark" TEXT NULL,
    "LastSuccessfulSync" TEXT NULL,
    "LatestDatasetId" TEXT NULL,
    "LatestSuccessfulDatasetId" TEXT NULL,
    CONSTRAINT "FK_sync_schedules_connections_ConnectionId" FOREIGN KEY ("ConnectionId") REFERENCES "connections" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_datasets_CompanyId_Requested" ON "datasets" ("CompanyId", "Requested");

CREATE INDEX "IX_datasets_ReadId" ON "datasets" ("ReadId");

CREATE INDEX "IX_datasets_Status_NextAttemptAt" ON "datasets" ("Status", "NextAttemptAt");

CREATE UNIQUE INDEX "IX_datasets_active" ON "datasets" ("ConnectionId", "DataType") WHERE "Status" IN ('Queued', 'Fetching');

CREATE INDEX "IX_records_CompanyId_DataType_Id" ON "records" ("CompanyId", "DataType", "Id");

CREATE UNIQUE INDEX "IX_records_ConnectionId_DataType_RecordId" ON "records" ("ConnectionId", "DataType", "RecordId");

CREATE INDEX "IX_sync_reads_CompanyId" ON "sync_reads" ("CompanyId");

CREATE INDEX "IX_sync_schedules_CompanyId_DataType" ON "sync_schedules" ("CompanyId", "DataType");

CREATE UNIQUE INDEX "IX_sync_schedules_ConnectionId_DataType" ON "sync_schedules" ("ConnectionId", "DataType");

CREATE INDEX "IX_sync_schedules_NextSyncAt" ON "sync_schedules" ("NextSyncAt");
