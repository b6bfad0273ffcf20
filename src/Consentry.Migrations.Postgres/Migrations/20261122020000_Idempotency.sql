CREATE TABLE idempotency_keys (
    "ClientId" uuid NOT NULL,
    "Key" character varying(255) NOT NULL,
    "RequestHash" bytea NOT NULL,
    "State" character varying(32) NOT NULL,
    "LeaseToken" uuid NOT NULL,
    "LeaseUntil" timestamp with time zone NOT NULL,
    "StatusCode" integer,
    "ContentType" character varying(200),
    "Location" character varying(2048),
    "Body" bytea,
    "Created" timestamp with time zone NOT NULL,
    "Expires" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_idempotency_keys" PRIMARY KEY ("ClientId", "Key"),
    CONSTRAINT "FK_idempotency_keys_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES clients ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_idempotency_keys_Expires" ON idempotency_keys ("Expires");
