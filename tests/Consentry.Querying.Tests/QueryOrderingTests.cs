using Microsoft.EntityFrameworkCore;

namespace Consentry.Querying.Tests;

public sealed class QueryOrderingTests(SqliteDatabase database) : IClassFixture<SqliteDatabase>
{
    [Theory]
    [InlineData("quantity", new[] { "INV-004", "INV-001", "INV-002", "INV-003", "INV-005" })]
    [InlineData("-quantity", new[] { "INV-005", "INV-003", "INV-002", "INV-001", "INV-004" })]
    [InlineData(" QUANTITY ", new[] { "INV-004", "INV-001", "INV-002", "INV-003", "INV-005" })]
    [InlineData("-totalAmount", new[] { "INV-005", "INV-002", "INV-001", "INV-003", "INV-004" })]
    [InlineData("issueDate", new[] { "INV-004", "INV-003", "INV-001", "INV-002", "INV-005" })]
    [InlineData("-modifiedDate", new[] { "INV-005", "INV-002", "INV-001", "INV-003", "INV-004" })]
    [InlineData("invoiceNumber", new[] { "INV-001", "INV-002", "INV-003", "INV-004", "INV-005" })]
    [InlineData("-invoiceNumber", new[] { "INV-005", "INV-004", "INV-003", "INV-002", "INV-001" })]
    public void Apply_SingleKey_OrdersAscendingOrDescending(string orderBy, string[] expected)
    {
        Assert.Equal(expected, database.Ordered(orderBy));
    }

    [Theory]
    [InlineData("-isOverdue,rate", new[] { "INV-002", "INV-003", "INV-004", "INV-001", "INV-005" })]
    [InlineData("customerRef.id, -quantity", new[] { "INV-003", "INV-001", "INV-004", "INV-002", "INV-005" })]
    [InlineData("discountPercentage,-dueDate", new[] { "INV-002", "INV-004", "INV-003", "INV-005", "INV-001" })]
    // Note: SQLite puts nulls first in ascending order (PostgreSQL puts them last); discountPercentage has two.
    public void Apply_SeveralKeys_OrdersByEachInTurn(string orderBy, string[] expected)
    {
        Assert.Equal(expected, database.Ordered(orderBy));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Apply_NullOrBlank_ReturnsSourceUnchanged(string? orderBy)
    {
        using var db = database.CreateContext();
        var source = db.Invoices.AsNoTracking();

        var result = QueryOrdering.Apply(source, orderBy, InvoiceQueries.Properties);

        Assert.True(result.IsSuccess);
        Assert.Same(source, result.Value);
    }

    [Theory]
    [InlineData("foo", "Error parsing orderBy - Could not resolve property foo on Invoice")]
    [InlineData("-foo", "Error parsing orderBy - Could not resolve property foo on Invoice")]
    [InlineData("--quantity", "Error parsing orderBy - Could not resolve property -quantity on Invoice")]
    [InlineData("quantity,customerRef.foo", "Error parsing orderBy - Could not resolve property customerRef.foo on Invoice")]
    [InlineData("note.length", "Error parsing orderBy - Could not resolve property note.length on Invoice")]
    [InlineData("lineItems", "Error parsing orderBy - Property lineItems on Invoice is not a single value and cannot be used to order results")]
    [InlineData("lineItems.amount", "Error parsing orderBy - Property lineItems.amount on Invoice is not a single value and cannot be used to order results")]
    [InlineData("customerRef", "Error parsing orderBy - Property customerRef on Invoice is not a single value and cannot be used to order results")]
    public void Apply_UnknownOrUnsortableProperty_ReturnsError(string orderBy, string expected)
    {
        using var db = database.CreateContext();

        var result = QueryOrdering.Apply(db.Invoices, orderBy, InvoiceQueries.Properties);

        Assert.Equal(expected, result.Error);
    }

    [Theory]
    [InlineData("-")]
    [InlineData("quantity,")]
    [InlineData("quantity,,rate")]
    [InlineData("+quantity")]
    [InlineData("a..b")]
    [InlineData("quantity desc")]
    public void Apply_MalformedOrderBy_ReturnsMalformedError(string orderBy)
    {
        using var db = database.CreateContext();

        var result = QueryOrdering.Apply(db.Invoices, orderBy, InvoiceQueries.Properties);

        Assert.StartsWith("Error parsing orderBy - Malformed orderBy.", result.Error);
    }

    [Fact]
    public void Apply_TagNamesWithKeyValueFallback_AreNotSortable()
    {
        using var db = database.CreateContext();

        var result = QueryOrdering.Apply(db.Invoices, "region", InvoiceQueries.WithTags);

        Assert.Equal("Error parsing orderBy - Could not resolve property region on Invoice", result.Error);
    }

    [Fact]
    public void Apply_TooLong_ReturnsLengthError()
    {
        using var db = database.CreateContext();

        var result = QueryOrdering.Apply(db.Invoices, new string('a', QueryOrdering.MaxLength + 1), InvoiceQueries.Properties);

        Assert.Equal("Error parsing orderBy - orderBy exceeds the maximum length of 2048 characters", result.Error);
    }

    [Fact]
    public void Apply_MoreKeysThanTheCap_ReturnsError()
    {
        using var db = database.CreateContext();

        Assert.True(QueryOrdering.Apply(db.Invoices, string.Join(',', Enumerable.Repeat("-issueDate", QueryOrdering.MaxKeys)), InvoiceQueries.Properties).IsSuccess);
        var result = QueryOrdering.Apply(db.Invoices, string.Join(',', Enumerable.Repeat("-issueDate", QueryOrdering.MaxKeys + 1)), InvoiceQueries.Properties);

        Assert.Equal("Error parsing orderBy - orderBy exceeds the maximum of 5 properties", result.Error);
    }

    [Fact]
    public void Apply_AfterFilter_ComposesIntoOneQuery()
    {
        using var db = database.CreateContext();
        var filtered = QueryFilter.Apply(db.Invoices.AsNoTracking(), "status!=Paid", InvoiceQueries.Properties);
        var ordered = QueryOrdering.Apply(filtered.Value, "-issueDate", InvoiceQueries.Properties);

        Assert.Equal(["INV-002", "INV-003", "INV-004"], ordered.Value.Select(i => i.Number));
    }
}
