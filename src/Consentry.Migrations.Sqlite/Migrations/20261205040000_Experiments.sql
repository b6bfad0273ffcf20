CREATE TABLE "experiments" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_experiments" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Variants" text NOT NULL,
    "PromotedVariant" TEXT NULL,
    "Created" TEXT NOT NULL,
    "Ended" TEXT NULL,
    CONSTRAINT "FK_experiments_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES "clients" ("Id") ON DELETE CASCADE
);

CREATE TABLE "experiment_assignments" (
    "ExperimentId" TEXT NOT NULL,
    "CompanyId" TEXT NOT NULL,
    "ClientId" TEXT NOT NULL,
    "VariantId" TEXT NOT NULL,
    "Assigned" TEXT NOT NULL,
    CONSTRAINT "PK_experiment_assignments" PRIMARY KEY ("ExperimentId", "CompanyId"),
    CONSTRAINT "FK_experiment_assignments_experiments_ExperimentId" FOREIGN KEY ("ExperimentId") REFERENCES "experiments" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_experiment_assignments_ClientId_CompanyId" ON "experiment_assignments" ("ClientId", "CompanyId");

CREATE INDEX "IX_experiments_ClientId_Status" ON "experiments" ("ClientId", "Status");

ALTER TABLE "journey_events" ADD "VariantId" TEXT NULL;

CREATE INDEX "IX_datasets_ClientId_Completed" ON "datasets" ("ClientId", "Completed");
