CREATE TABLE integration_logos (
    "PlatformKey" character varying(16) NOT NULL,
    "Variant" character varying(32) NOT NULL,
    "Content" bytea NOT NULL,
    "ContentType" character varying(64) NOT NULL,
    "ETag" character varying(80) NOT NULL,
    "Updated" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_integration_logos" PRIMARY KEY ("PlatformKey", "Variant")
);
