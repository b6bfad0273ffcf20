CREATE TABLE "idempotency_keys" (
    "ClientId" TEXT NOT NULL,
    "Key" TEXT NOT NULL,
    "RequestHash" BLOB NOT NULL,
    "State" TEXT NOT NULL,
    "LeaseToken" TEXT NOT NULL,
    "LeaseUntil" TEXT NOT NULL,
    "StatusCode" INTEGER NULL,
    "ContentType" TEXT NULL,
    "Location" TEXT NULL,
    "Body" BLOB NULL,
    "Created" TEXT NOT NULL,
    "Expires" TEXT NOT NULL,
    CONSTRAINT "PK_idempotency_keys" PRIMARY KEY ("ClientId", "Key"),
    CONSTRAINT "FK_idempotency_keys_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES "clients" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_idempotency_keys_Expires" ON "idempotency_keys" ("Expires");
