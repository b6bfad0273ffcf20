-- Substring search over companies (name~…, description~…), see CompanySearch.cs and docs/querying.md "Search".
-- An FTS5 table with the trigram tokenizer; its rowid is the company's rowid, so the triggers find the row to
-- change without an index on company_id. (Only VACUUM renumbers rowids of a table without an INTEGER PRIMARY KEY,
-- and Consentry never runs it; after a manual VACUUM, rebuild the table with the DELETE + INSERT below.)
CREATE VIRTUAL TABLE company_search USING fts5(name, description, company_id UNINDEXED, tokenize = 'trigram');

INSERT INTO company_search(rowid, name, description, company_id)
SELECT rowid, "Name", "Description", "Id" FROM companies;

CREATE TRIGGER company_search_insert AFTER INSERT ON companies BEGIN
    INSERT INTO company_search(rowid, name, description, company_id)
    VALUES (NEW.rowid, NEW."Name", NEW."Description", NEW."Id");
END;

CREATE TRIGGER company_search_update AFTER UPDATE OF "Name", "Description", "Id" ON companies BEGIN
    UPDATE company_search SET name = NEW."Name", description = NEW."Description", company_id = NEW."Id"
    WHERE rowid = OLD.rowid;
END;

CREATE TRIGGER company_search_delete AFTER DELETE ON companies BEGIN
    DELETE FROM company_search WHERE rowid = OLD.rowid;
END;

-- Planner statistics for the two indexes led by ClientId: "a client has many companies". Without statistics
-- SQLite guesses 10 rows per ClientId and walks all of a client's companies, probing the search results for each,
-- rather than looking up the few companies the search found by Id. A later ANALYZE replaces these with real ones.
ANALYZE sqlite_schema;
DELETE FROM sqlite_stat1 WHERE tbl = 'companies' AND idx IN ('IX_companies_ClientId_Created', 'IX_companies_ClientId_Name');
INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES
    ('companies', 'IX_companies_ClientId_Created', '100000 10000 1'),
    ('companies', 'IX_companies_ClientId_Name', '100000 10000 2');
ANALYZE sqlite_schema;
