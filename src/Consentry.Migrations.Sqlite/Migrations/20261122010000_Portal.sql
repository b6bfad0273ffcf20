CREATE TABLE "journey_daily_counts" (
    "ClientId" TEXT NOT NULL,
    "Day" TEXT NOT NULL,
    "Scope" TEXT NOT NULL,
    "Mark" TEXT NOT NULL,
    "Count" INTEGER NOT NULL,
    CONSTRAINT "PK_journey_daily_counts" PRIMARY KEY ("ClientId", "Day", "Scope", "Mark"),
    CONSTRAINT "FK_journey_daily_counts_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES "clients" ("Id") ON DELETE CASCADE
);

CREATE TABLE "journey_marks" (
    "CompanyId" TEXT NOT NULL,
    "Scope" TEXT NOT NULL,
    "Mark" TEXT NOT NULL,
    "ClientId" TEXT NOT NULL,
    "Day" TEXT NOT NULL,
    CONSTRAINT "PK_journey_marks" PRIMARY KEY ("CompanyId", "Scope", "Mark"),
    CONSTRAINT "FK_journey_marks_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES "clients" ("Id") ON DELETE CASCADE
);

CREATE TABLE "portal_users" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_portal_users" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "Email" TEXT NOT NULL,
    "PasswordHash" TEXT NOT NULL,
    "IsOperator" INTEGER NOT NULL,
    "FailedSignIns" INTEGER NOT NULL,
    "LockedUntil" TEXT NULL,
    "Created" TEXT NOT NULL,
    "LastSignIn" TEXT NULL,
    CONSTRAINT "FK_portal_users_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES "clients" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_journey_daily_counts_ClientId_Scope_Mark_Day_Count" ON "journey_daily_counts" ("ClientId", "Scope", "Mark", "Day", "Count");

CREATE INDEX "IX_journey_marks_ClientId" ON "journey_marks" ("ClientId");

CREATE INDEX "IX_portal_users_ClientId" ON "portal_users" ("ClientId");

CREATE UNIQUE INDEX "IX_portal_users_Email" ON "portal_users" ("Email");
