CREATE TABLE data_type_configs (
    "ClientId" uuid NOT NULL,
    "PlatformKey" character varying(16) NOT NULL,
    "Kind" character varying(16) NOT NULL,
    "Name" character varying(64) NOT NULL,
    "Json" text NOT NULL,
    "Updated" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_data_type_configs" PRIMARY KEY ("ClientId", "PlatformKey", "Kind", "Name"),
    CONSTRAINT "FK_data_type_configs_clients_ClientId" FOREIGN KEY ("ClientId") REFERENCES clients ("Id") ON DELETE CASCADE
);
