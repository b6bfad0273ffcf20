using Microsoft.EntityFrameworkCore;

namespace Consentry.Querying.Tests;

/// <summary>
/// The same filters through the PostgreSQL provider. <c>ToQueryString</c> runs EF's whole translation
/// pipeline without a connection, so this proves the expression shapes translate there too.
/// </summary>
public sealed class QueryTranslatorPostgresTests
{
    private static readonly DbContextOptions<TestDbContext> Options = new DbContextOptionsBuilder<TestDbContext>()
        .UseNpgsql("Host=localhost;Database=translation_only")
        .Options;

    private static string Sql(string query, string? orderBy = null)
    {
        using var db = new TestDbContext(Options);
        var filtered = QueryFilter.Apply(db.Invoices.AsNoTracking(), query, InvoiceQueries.WithTags);
        Assert.True(filtered.IsSuccess, filtered.Error);
        var ordered = QueryOrdering.Apply(filtered.Value, orderBy, InvoiceQueries.WithTags);
        Assert.True(ordered.IsSuccess, ordered.Error);
        return ordered.Value.ToQueryString();
    }

    [Theory]
    [InlineData("invoiceNumber=INV-001")]
    [InlineData("note!=x")]
    [InlineData("quantity>1 && totalAmount<=2.5 && rate>=0.5 && discountPercentage<3")]
    [InlineData("issueDate>2024-01-01 || paidOnDate<=2024-01-01T10:00:00Z")]
    [InlineData("modifiedDate>=2024-01-01T10:00:00+02:00 && dueDate<2024-02-01")]
    [InlineData("isOverdue=true && status!=Paid && id=3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("customerRef.id=61 && lineItems.amount>5")]
    [InlineData("region=uk || tier!=gold")]
    public void Filter_OnPostgres_TranslatesWithParameters(string query)
    {
        var sql = Sql(query, "-issueDate,customerRef.companyName,totalAmount");

        Assert.Contains("WHERE", sql, StringComparison.Ordinal);
        Assert.Contains("ORDER BY", sql, StringComparison.Ordinal);
        Assert.Contains("@", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Contains_OnPostgres_LowersBothSides()
    {
        var sql = Sql("note~Delivery && lineItems.description~WIDGET && region~UK");

        Assert.Contains("lower(i.\"Note\")", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("Delivery", sql[sql.IndexOf("SELECT", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }
}
