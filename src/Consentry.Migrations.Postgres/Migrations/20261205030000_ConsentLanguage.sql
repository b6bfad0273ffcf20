ALTER TABLE consent_records ADD "Language" character varying(16);
