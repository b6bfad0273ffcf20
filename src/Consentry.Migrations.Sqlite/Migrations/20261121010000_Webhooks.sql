CREATE TABLE "webhook_consumers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_webhook_consumers" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "Url" TEXT NOT NULL,
    "EventTypes" TEXT NOT NULL,
    "CompanyTags" TEXT NOT NULL,
    "Disabled" INTEGER NOT NULL,
    "DisabledReason" TEXT NULL,
    "DisabledAt" TEXT NULL,
    "FailingSince" TEXT NULL,
    "Created" TEXT NOT NULL,
    CONSTRAINT "FK_webhook_consumers_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES "clients" ("Id") ON DELETE CASCADE
);

CREATE TABLE "webhook_events" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_webhook_events" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "EventType" TEXT NOT NULL,
    "CompanyId" TEXT NULL,
    "Body" TEXT NOT NULL,
    "GeneratedDate" TEXT NOT NULL,
    CONSTRAINT "FK_webhook_events_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES "clients" ("Id") ON DELETE CASCADE
);

CREATE TABLE "webhook_attempts" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_webhook_attempts" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "ConsumerId" TEXT NOT NULL,
    "DeliveryId" TEXT NOT NULL,
    "EventId" TEXT NOT NULL,
    "EventType" TEXT NOT NULL,
    "AttemptedAt" TEXT NOT NULL,
    "StatusCode" INTEGER NULL,
    "DurationMs" INTEGER NOT NULL,
    "Error" TEXT NULL,
    "Succeeded" INTEGER NOT NULL,
    "Worker" TEXT NULL,
    CONSTRAINT "FK_webhook_attempts_webhook_consumers_ConsumerId" FOREIGN KEY ("ConsumerId") REFERENCES "webhook_consumers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "webhook_secrets" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_webhook_secrets" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "ConsumerId" TEXT NOT NULL,
    "ProtectedKey" TEXT NOT NULL,
    "Created" TEXT NOT NULL,
    "ExpiresAt" TEXT NULL,
    CONSTRAINT "FK_webhook_secrets_webhook_consumers_ConsumerId" FOREIGN KEY ("ConsumerId") REFERENCES "webhook_consumers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "webhook_deliveries" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_webhook_deliveries" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "EventId" TEXT NOT NULL,
    "ConsumerId" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "AttemptCount" INTEGER NOT NULL,
    "NextAttemptAt" TEXT NOT NULL,
    "LeaseOwner" TEXT NULL,
    "LeaseExpiresAt" TEXT NULL,
    "Created" TEXT NOT NULL,
    "CompletedAt" TEXT NULL,
    CONSTRAINT "FK_webhook_deliveries_webhook_consumers_ConsumerId" FOREIGN KEY ("ConsumerId") REFERENCES "webhook_consumers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_webhook_deliveries_webhook_events_EventId" FOREIGN KEY ("EventId") REFERENCES "webhook_events" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_webhook_attempts_ConsumerId_AttemptedAt" ON "webhook_attempts" ("ConsumerId", "AttemptedAt");

CREATE INDEX "IX_webhook_consumers_ClientId" ON "webhook_consumers" ("ClientId");

CREATE INDEX "IX_webhook_deliveries_ConsumerId_Status" ON "webhook_deliveries" ("ConsumerId", "Status");

CREATE INDEX "IX_webhook_deliveries_EventId" ON "webhook_deliveries" ("EventId");

CREATE INDEX "IX_webhook_deliveries_Status_NextAttemptAt" ON "webhook_deliveries" ("Status", "NextAttemptAt");

CREATE INDEX "IX_webhook_events_ClientId_GeneratedDate" ON "webhook_events" ("ClientId", "GeneratedDate");

CREATE INDEX "IX_webhook_secrets_ConsumerId" ON "webhook_secrets" ("ConsumerId");
