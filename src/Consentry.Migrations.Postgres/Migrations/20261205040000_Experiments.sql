CREATE TABLE experiments (
    "Id" uuid NOT NULL,
    "ClientId" uuid NOT NULL,
    "Name" character varying(100) NOT NULL,
    "Status" character varying(32) NOT NULL,
    "Variants" text NOT NULL,
    "PromotedVariant" character varying(32),
    "Created" timestamp with time zone NOT NULL,
    "Ended" timestamp with time zone,
    CONSTRAINT "PK_experiments" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_experiments_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES clients ("Id") ON DELETE CASCADE
);

CREATE TABLE experiment_assignments (
    "ExperimentId" uuid NOT NULL,
    "CompanyId" uuid NOT NULL,
    "ClientId" uuid NOT NULL,
    "VariantId" uuid NOT NULL,
    "Assigned" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_experiment_assignments" PRIMARY KEY ("ExperimentId", "CompanyId"),
    CONSTRAINT "FK_experiment_assignments_experiments_ExperimentId" FOREIGN KEY ("ExperimentId") REFERENCES experiments ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_experiment_assignments_ClientId_CompanyId" ON experiment_assignments ("ClientId", "CompanyId");

CREATE INDEX "IX_experiments_ClientId_Status" ON experiments ("ClientId", "Status");

ALTER TABLE journey_events ADD "VariantId" uuid;

CREATE INDEX "IX_datasets_ClientId_Completed" ON datasets ("ClientId", "Completed");
