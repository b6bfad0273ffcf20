using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Querying.Tests;

/// <summary>
/// A real SQLite database in memory, seeded with <see cref="TestData"/>. The connection stays open for the
/// fixture's lifetime because an in-memory SQLite database lives exactly as long as its connection.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly DbContextOptions<TestDbContext> _options;

    public SqliteDatabase()
    {
        _connection.Open();
        _options = new DbContextOptionsBuilder<TestDbContext>().UseSqlite(_connection).Options;
        using var db = CreateContext();
        db.Database.EnsureCreated();
        db.Invoices.AddRange(TestData.Invoices());
        db.SaveChanges();
    }

    public TestDbContext CreateContext() => new(_options);

    /// <summary>The invoice numbers the query matches, in id order; fails the test if the query is rejected.</summary>
    public string[] Numbers(string query, QueryableProperties<Invoice>? properties = null)
    {
        using var db = CreateContext();
        var filtered = QueryFilter.Apply(db.Invoices.AsNoTracking(), query, properties ?? InvoiceQueries.Properties);
        Assert.True(filtered.IsSuccess, filtered.Error);
        return [.. filtered.Value.OrderBy(i => i.Id).Select(i => i.Number)];
    }

    /// <summary>The invoice numbers in the order orderBy gives; fails the test if orderBy is rejected.</summary>
    public string[] Ordered(string orderBy)
    {
        using var db = CreateContext();
        var ordered = QueryOrdering.Apply(db.Invoices.AsNoTracking(), orderBy, InvoiceQueries.Properties);
        Assert.True(ordered.IsSuccess, ordered.Error);
        return [.. ordered.Value.Select(i => i.Number)];
    }

    public void Dispose() => _connection.Dispose();
}
