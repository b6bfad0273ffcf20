ALTER TABLE "consent_records" ADD "Language" TEXT NULL;
