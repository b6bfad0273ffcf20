CREATE TABLE webhook_consumers (
    "Id" uuid NOT NULL,
    "ClientId" uuid NOT NULL,
    "Url" character varying(2048) NOT NULL,
    "EventTypes" text[] NOT NULL,
    "CompanyTags" text[] NOT NULL,
    "Disabled" boolean NOT NULL,
    "DisabledReason" character varying(500),
    "DisabledAt" timestamp with time zone,
    "FailingSince" timestamp with time zone,
    "Created" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_webhook_consumers" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_webhook_consumers_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES clients ("Id") ON DELETE CASCADE
);

CREATE TABLE webhook_events (
    "Id" uuid NOT NULL,
    "ClientId" uuid NOT NULL,
    "EventType" character varying(100) NOT NULL,
    "CompanyId" uuid,
    "Body" text NOT NULL,
    "GeneratedDate" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_webhook_events" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_webhook_events_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES clients ("Id") ON DELETE CASCADE
);

CREATE TABLE webhook_attempts (
    "Id" uuid NOT NULL,
    "ClientId" uuid NOT NULL,
    "ConsumerId" uuid NOT NULL,
    "DeliveryId" uuid NOT NULL,
    "EventId" uuid NOT NULL,
    "EventType" character varying(100) NOT NULL,
    "AttemptedAt" timestamp with time zone NOT NULL,
    "StatusCode" integer,
    "DurationMs" integer NOT NULL,
    "Error" character varying(1000),
    "Succeeded" boolean NOT NULL,
    "Worker" character varying(100),
    CONSTRAINT "PK_webhook_attempts" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_webhook_attempts_webhook_consumers_ConsumerId" FOREIGN KEY ("ConsumerId") REFERENCES webhook_consumers ("Id") ON DELETE CASCADE
);

CREATE TABLE webhook_secrets (
    "Id" uuid NOT NULL,
    "ClientId" uuid NOT NULL,
    "ConsumerId" uuid NOT NULL,
    "ProtectedKey" text NOT NULL,
    "Created" timestamp with time zone NOT NULL,
    "ExpiresAt" timestamp with time zone,
    CONSTRAINT "PK_webhook_secrets" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_webhook_secrets_webhook_consumers_ConsumerId" FOREIGN KEY ("ConsumerId") REFERENCES webhook_consumers ("Id") ON DELETE CASCADE
);

CREATE TABLE webhook_deliveries (
    "Id" uuid NOT NULL,
    "ClientId" uuid NOT NULL,
    "EventId" uuid NOT NULL,
    "ConsumerId" uuid NOT NULL,
    "Status" character varying(32) NOT NULL,
    "AttemptCount" integer NOT NULL,
    "NextAttemptAt" timestamp with time zone NOT NULL,
    "LeaseOwner" character varying(100),
    "LeaseExpiresAt" timestamp with time zone,
    "Created" timestamp with time zone NOT NULL,
    "CompletedAt" timestamp with time zone,
    CONSTRAINT "PK_webhook_deliveries" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_webhook_deliveries_webhook_consumers_ConsumerId" FOREIGN KEY ("ConsumerId") REFERENCES webhook_consumers ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_webhook_deliveries_webhook_events_EventId" FOREIGN KEY ("EventId") REFERENCES webhook_events ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_webhook_attempts_ConsumerId_AttemptedAt" ON webhook_attempts ("ConsumerId", "AttemptedAt");

CREATE INDEX "IX_webhook_consumers_ClientId" ON webhook_consumers ("ClientId");

CREATE INDEX "IX_webhook_deliveries_ConsumerId_Status" ON webhook_deliveries ("ConsumerId", "Status");

CREATE INDEX "IX_webhook_deliveries_EventId" ON webhook_deliveries ("EventId");

CREATE INDEX "IX_webhook_deliveries_Status_NextAttemptAt" ON webhook_deliveries ("Status", "NextAttemptAt");

CREATE INDEX "IX_webhook_events_ClientId_GeneratedDate" ON webhook_events ("ClientId", "GeneratedDate");

CREATE INDEX "IX_webhook_secrets_ConsumerId" ON webhook_secrets ("ConsumerId");
