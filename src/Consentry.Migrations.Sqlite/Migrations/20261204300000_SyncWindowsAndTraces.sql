ALTER TABLE "datasets" ADD "SyncFrom" TEXT NULL;

ALTER TABLE "datasets" ADD "TraceParent" TEXT NULL;

ALTER TABLE "webhook_events" ADD "TraceParent" TEXT NULL;
