CREATE TABLE "data_type_configs" (
    "ClientId" TEXT NOT NULL,
    "PlatformKey" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Json" TEXT NOT NULL,
    "Updated" TEXT NOT NULL,
    CONSTRAINT "PK_data_type_configs" PRIMARY KEY ("ClientId", "PlatformKey", "Kind", "Name"),
    CONSTRAINT "FK_data_type_configs_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES "clients" ("Id") ON DELETE CASCADE
);
