CREATE TABLE journey_daily_counts (
    "ClientId" uuid NOT NULL,
    "Day" date NOT NULL,
    "Scope" character varying(40) NOT NULL,
    "Mark" character varying(64) NOT NULL,
    "Count" bigint NOT NULL,
    CONSTRAINT "PK_journey_daily_counts" PRIMARY KEY ("ClientId", "Day", "Scope", "Mark"),
    CONSTRAINT "FK_journey_daily_counts_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES clients ("Id") ON DELETE CASCADE
);

CREATE TABLE journey_marks (
    "CompanyId" uuid NOT NULL,
    "Scope" character varying(40) NOT NULL,
    "Mark" character varying(64) NOT NULL,
    "ClientId" uuid NOT NULL,
    "Day" date NOT NULL,
    CONSTRAINT "PK_journey_marks" PRIMARY KEY ("CompanyId", "Scope", "Mark"),
    CONSTRAINT "FK_journey_marks_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES clients ("Id") ON DELETE CASCADE
);

CREATE TABLE portal_users (
    "Id" uuid NOT NULL,
    "ClientId" uuid NOT NULL,
    "Email" character varying(254) NOT NULL,
    "PasswordHash" character varying(200) NOT NULL,
    "IsOperator" boolean NOT NULL,
    "FailedSignIns" integer NOT NULL,
    "LockedUntil" timestamp with time zone,
    "Created" timestamp with time zone NOT NULL,
    "LastSignIn" timestamp with time zone,
    CONSTRAINT "PK_portal_users" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_portal_users_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES clients ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_journey_daily_counts_ClientId_Scope_Mark_Day_Count" ON journey_daily_counts ("ClientId", "Scope", "Mark", "Day", "Count");

CREATE INDEX "IX_journey_marks_ClientId" ON journey_marks ("ClientId");

CREATE INDEX "IX_portal_users_ClientId" ON portal_users ("ClientId");

CREATE UNIQUE INDEX "IX_portal_users_Email" ON portal_users ("Email");
