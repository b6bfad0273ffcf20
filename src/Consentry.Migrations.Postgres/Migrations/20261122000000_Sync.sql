-- The sync engine: datasets (pull operations), the reads they belong to, schedules and the record cache.
CREATE TABLE sync_reads (
    "Id" uuid NOT NULL,
    "ClientId" uuid NOT NULL,
    "CompanyId" uuid NOT NULL,
    "IsInitial" boolean NOT NULL,
    "Requested" timestamp with time zone NOT NULL,
    "Remaining" integer NOT NULL,
    "Completed" timestamp with time zone,
    CONSTRAINT "PK_sync_reads" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_sync_reads_companies_CompanyId" FOREIGN KEY ("CompanyId") REFERENCES companies ("Id") ON DELETE CASCADE
);

CREATE TABLE datasets (
    "Id" uuid NOT NULL,
    "ClientId" uuid NOT NULL,
    "CompanyId" uuid NOT NULL,
    "ConnectionId" uuid NOT NULL,
    "ReadId" uuid NOT NULL,
    "DataType" character varying(64) NOT NULL,
    "Status" character varying(32) NOT NULL,
    "StatusDescription" character varying(500),
    "ErrorMessage" character varying(1000),
    "Requested" timestamp with time zone NOT NULL,
    "Started" timestamp with time zone,
    "Completed" timestamp with time zone,
    "Progress" integer NOT NULL,
    "IsInitial" boolean NOT NULL,
    "ModifiedSince" timestamp with time zone,
    "NextPage" integer NOT NULL,
    "RecordsRead" integer NOT NULL,
    "TotalRecords" integer,
    "NextAttemptAt" timestamp with time zone NOT NULL,
    "RateLimitWaits" integer NOT NULL,
    "LeaseOwner" character varying(100),
    "Worker" character varying(100),
    "LeaseExpiresAt" timestamp with time zone,
    CONSTRAINT "PK_datasets" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_datasets_companies_CompanyId" FOREIGN KEY ("CompanyId") REFERENCES companies ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_datasets_connections_ConnectionId" FOREIGN KEY ("ConnectionId") REFERENCES connections ("Id") ON DELETE CASCADE
);

CREATE TABLE records (
    "Id" uuid NOT NULL,
    "ClientId" uuid NOT NULL,
    "CompanyId" uuid NOT NULL,
    "ConnectionId" uuid NOT NULL,
    "DataType" character varying(64) NOT NULL,
    "RecordId" character varying(200) NOT NULL,
    "ModifiedDate" timestamp with time zone,
    "Updated" timestamp with time zone NOT NULL,
    "Data" jsonb NOT NULL,
    CONSTRAINT "PK_records" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_records_connections_ConnectionId" FOREIGN KEY ("ConnectionId") REFERENCES connections ("Id") ON DELETE CASCADE
);

CREATE TABLE sync_schedules (
    "Id" uuid NOT NULL,
    "ClientId" uuid NOT NULL,
    "CompanyId" uuid NOT NULL,
    "ConnectionId" uuid NOT NULL,
    "DataType" character varying(64) NOT NULL,
    "IntervalHours" integer NOT NULL,
    "NextSyncAt" timestamp with time zone NOT NULL,
    "Watermark" timestamp with time zone,
    "LastSuccessfulSync" timestamp with time zone,
    "LatestDatasetId" uuid,
    "LatestSuccessfulDatasetId" uuid,
    CONSTRAINT "PK_sync_schedules" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_sync_schedules_connections_ConnectionId" FOREIGN KEY ("ConnectionId") REFERENCES connections ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_datasets_CompanyId_Requested" ON datasets ("CompanyId", "Requested");

CREATE INDEX "IX_datasets_ReadId" ON datasets ("ReadId");

CREATE INDEX "IX_datasets_Status_NextAttemptAt" ON datasets ("Status", "NextAttemptAt");

CREATE UNIQUE INDEX "IX_datasets_active" ON datasets ("ConnectionId", "DataType") WHERE "Status" IN ('Queued', 'Fetching');

CREATE INDEX "IX_records_CompanyId_DataType_Id" ON records ("CompanyId", "DataType", "Id");

CREATE UNIQUE INDEX "IX_records_ConnectionId_DataType_RecordId" ON records ("ConnectionId", "DataType", "RecordId");

CREATE INDEX "IX_sync_reads_CompanyId" ON sync_reads ("CompanyId");

CREATE INDEX "IX_sync_schedules_CompanyId_DataType" ON sync_schedules ("CompanyId", "DataType");

CREATE UNIQUE INDEX "IX_sync_schedules_ConnectionId_DataType" ON sync_schedules ("ConnectionId", "DataType");

CREATE INDEX "IX_sync_schedules_NextSyncAt" ON sync_schedules ("NextSyncAt");

-- Values inside a cached record's JSON for queries (Consentry.Core.Sync.JsonFunctions); path is '$.a.b'.
CREATE FUNCTION consentry_json_text(data jsonb, path text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT data #>> string_to_array(substr(path, 3), '.') $$;

CREATE FUNCTION consentry_json_number(data jsonb, path text) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN jsonb_typeof(data #> string_to_array(substr(path, 3), '.')) = 'number'
                      THEN (data #>> string_to_array(substr(path, 3), '.'))::double precision END $$;

CREATE FUNCTION consentry_json_time(data jsonb, path text) RETURNS timestamp with time zone
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN (data #>> string_to_array(substr(path, 3), '.')) ~ '^\d{4}-\d{2}-\d{2}'
                      THEN (data #>> string_to_array(substr(path, 3), '.'))::timestamptz END $$;
