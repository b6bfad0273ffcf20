CREATE TABLE "integration_logos" (
    "PlatformKey" TEXT NOT NULL,
    "Variant" TEXT NOT NULL,
    "Content" BLOB NOT NULL,
    "ContentType" TEXT NOT NULL,
    "ETag" TEXT NOT NULL,
    "Updated" TEXT NOT NULL,
    CONSTRAINT "PK_integration_logos" PRIMARY KEY ("PlatformKey", "Variant")
);
