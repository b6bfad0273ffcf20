using System.Linq.Expressions;
using System.Text;
using Consentry.Core.Persistence;
using Consentry.Querying;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Core.Companies;

/// <summary>
/// Serves <c>name~…</c> and <c>description~…</c> from an index instead of a scan of every company of the client:
/// on PostgreSQL a <c>pg_trgm</c> GIN index answers <c>ILIKE</c>; on SQLite the FTS5 table <c>company_search</c>
/// (trigram tokenizer, kept in step with <c>companies</c> by triggers) answers a quoted phrase <c>MATCH</c>.
/// Either only narrows the candidates: the plain <c>~</c> condition stays beside it (see <see cref="SubstringIndex{T}"/>),
/// so results and <c>totalResults</c> are exactly those of the scan, whatever the index's case folding or wildcards.
/// </summary>
public static class CompanySearch
{
    /// <summary>Trigram indexes cannot narrow shorter terms (in Unicode code points); those are scanned as before.</summary>
    public const int MinTermLength = 3;

    public static SubstringIndex<Company> For(ConsentryDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.IsPostgres() ? Postgres : (property, term) => Sqlite(db, property, term);
    }

    private static Expression<Func<Company, bool>>? Postgres(string property, string term)
    {
        if (!IsLongEnough(term))
        {
            return null;
        }

        // ILIKE on a UTF-8 database lower()s both sides, as the plain condition does; the escapes make it a plain substring.
        var pattern = "%" + EscapeLike(term) + "%";
        return property switch
        {
            "name" => c => EF.Functions.ILike(c.Name, pattern, "\\"),
            "description" => c => c.Description != null && EF.Functions.ILike(c.Description, pattern, "\\"),
            _ => null,
        };
    }

    private static Expression<Func<Company, bool>>? Sqlite(ConsentryDbContext db, string property, string term)
    {
        if (!IsLongEnough(term))
        {
            return null;
        }

        // One FTS5 phrase: inside double quotes everything is literal but the quote itself, which is doubled. Its
        // trigrams in a row are the substring; FTS5 folds case over all of Unicode, a superset of SQLite's ASCII lower().
        var phrase = "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var rows = db.Set<CompanySearchRow>();

        // Joined on rowid, not on the company id: each match is then one step down the companies table's own b-tree,
        // where the id costs a read of the FTS content row, a probe of the Id index and then that same step (4x the
        // CPU at 1,737 matches of 100k; docs/benchmarks.md, "Search at 100,000 companies").
        return property switch
        {
            "name" => c => rows.Where(s => SearchFunctions.Match(phrase, s.Name)).Select(s => s.RowId).Contains(SearchFunctions.RowId(c.Id)),
            "description" => c => rows.Where(s => SearchFunctions.Match(phrase, s.Description)).Select(s => s.RowId).Contains(SearchFunctions.RowId(c.Id)),
            _ => null,
        };
    }

    private static bool IsLongEnough(string term)
    {
        var runes = 0;
        foreach (var _ in term.EnumerateRunes())
        {
            if (++runes >= MinTermLength)
            {
                return true;
            }
        }

        return false;
    }

    private static string EscapeLike(string term) => new StringBuilder(term)
        .Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_").ToString();
}

/// <summary>A row of the SQLite FTS5 table <c>company_search</c>; its rowid is the company's rowid (see the migration).</summary>
public sealed class CompanySearchRow
{
    /// <summary>The FTS5 rowid: the rowid of the company this row indexes.</summary>
    public long RowId { get; set; }

    public Guid CompanyId { get; set; }

    public string Name { get; set; } = "";

    public string? Description { get; set; }
}

/// <summary>SQL functions for the search index (translated by EF Core, never called in .NET).</summary>
public static class SearchFunctions
{
    /// <summary>
    /// SQLite's <c>match(query, column)</c>: the function form of <c>column MATCH query</c>, which SQLite's planner
    /// hands to the FTS5 table exactly as the operator (EF Core has no MATCH operator to emit).
    /// </summary>
    public static bool Match(string query, string? column) =>
        throw new InvalidOperationException($"{nameof(Match)} runs in SQLite only, inside a query.");

    /// <summary>
    /// The SQLite <c>rowid</c> of the row whose column <paramref name="column"/> is (pass any column of the table, e.g.
    /// <c>c.Id</c>): EF Core maps no property to it, yet it is the key the FTS5 rows share with <c>companies</c>.
    /// </summary>
    public static long RowId(Guid column) =>
        throw new InvalidOperationException($"{nameof(RowId)} runs in SQLite only, inside a query.");
}
