-- Records stored before Codat's exact data shapes (banking accounts without balance, transactions with date and
-- status, commerce orders with status, the sandbox's company information with modified dates) are rewritten by the
-- next read of their type: forgetting the watermark makes that read a full one (not an incremental one that would
-- fetch only what changed), and the read replaces each stored record. Until then the old records are served as they are.
UPDATE "sync_schedules" SET "Watermark" = NULL
WHERE "DataType" IN ('company', 'banking-accounts', 'banking-accountBalances', 'banking-transactions',
                     'commerce-companyInfo', 'commerce-products', 'commerce-orders', 'commerce-payments');
