-- Substring search over companies (name~…, description~…), see CompanySearch.cs and docs/querying.md "Search".
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "IX_companies_Name_trgm" ON companies USING gin ("Name" gin_trgm_ops);

CREATE INDEX "IX_companies_Description_trgm" ON companies USING gin ("Description" gin_trgm_ops);
