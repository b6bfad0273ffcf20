using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Querying.Tests;

/// <summary>Filters translated by EF Core and run by SQLite, checked against the rows they must return.</summary>
public sealed class QueryTranslatorSqliteTests(SqliteDatabase database) : IClassFixture<SqliteDatabase>
{
    [Theory]
    [InlineData("invoiceNumber=INV-002", new[] { "INV-002" })]
    [InlineData("invoiceNumber=inv-002", new string[0])]
    [InlineData("invoiceNumber!=INV-002", new[] { "INV-001", "INV-003", "INV-004", "INV-005" })]
    [InlineData("note!=Zebra", new[] { "INV-001", "INV-003", "INV-004" })]
    [InlineData("note~delivery", new[] { "INV-001", "INV-003" })]
    [InlineData("note~DELIVERY", new[] { "INV-001", "INV-003" })]
    [InlineData("note ~ \"ll bef\"", new[] { "INV-003" })]
    [InlineData("note~\"&& more\"", new[] { "INV-004" })]
    [InlineData("note~%", new[] { "INV-004" })]
    [InlineData("note~_", new string[0])]
    [InlineData("note=x' OR '1'='1", new string[0])]
    public void Filter_StringOperators_ReturnMatchingRows(string query, string[] expected)
    {
        Assert.Equal(expected, database.Numbers(query));
    }

    [Theory]
    [InlineData("quantity=5", new[] { "INV-002" })]
    [InlineData("quantity!=5", new[] { "INV-001", "INV-003", "INV-004", "INV-005" })]
    [InlineData("quantity>5", new[] { "INV-003", "INV-005" })]
    [InlineData("quantity<5", new[] { "INV-001", "INV-004" })]
    [InlineData("quantity>=5", new[] { "INV-002", "INV-003", "INV-005" })]
    [InlineData("quantity<=5", new[] { "INV-001", "INV-002", "INV-004" })]
    [InlineData("quantity>-1", new[] { "INV-001", "INV-002", "INV-003", "INV-004", "INV-005" })]
    [InlineData("totalAmount=250.50", new[] { "INV-002" })]
    [InlineData("totalAmount>100", new[] { "INV-002", "INV-005" })]
    [InlineData("totalAmount>=100", new[] { "INV-001", "INV-002", "INV-005" })]
    [InlineData("totalAmount<50", new[] { "INV-003", "INV-004" })]
    [InlineData("totalAmount<=1e2", new[] { "INV-001", "INV-003", "INV-004" })]
    [InlineData("rate<0", new[] { "INV-003" })]
    [InlineData("rate>=1.25", new[] { "INV-002", "INV-005" })]
    [InlineData("discountPercentage=10", new[] { "INV-001", "INV-005" })]
    [InlineData("discountPercentage!=10", new[] { "INV-003" })]
    [InlineData("discountPercentage<=10", new[] { "INV-001", "INV-003", "INV-005" })]
    public void Filter_NumberOperators_ReturnMatchingRowsAndSkipNulls(string query, string[] expected)
    {
        Assert.Equal(expected, database.Numbers(query));
    }

    [Theory]
    [InlineData("issueDate=2024-01-01", new[] { "INV-001" })]
    [InlineData("issueDate>2024-01-01", new[] { "INV-002", "INV-005" })]
    [InlineData("issueDate>=2024-01-01", new[] { "INV-001", "INV-002", "INV-005" })]
    [InlineData("issueDate<2024-01-01", new[] { "INV-003", "INV-004" })]
    [InlineData("issueDate=2024-02-15T10:30:00Z", new[] { "INV-002" })]
    [InlineData("issueDate=2024-02-15T12:30:00+02:00", new[] { "INV-002" })]
    [InlineData("issueDate<=2023-12-31T23:59:59", new[] { "INV-003", "INV-004" })]
    [InlineData("issueDate!=2024-01-01", new[] { "INV-002", "INV-003", "INV-004", "INV-005" })]
    [InlineData("paidOnDate>2024-01-05", new[] { "INV-001", "INV-005" })]
    [InlineData("paidOnDate!=2024-01-10", new[] { "INV-005" })]
    [InlineData("modifiedDate>2024-01-01", new[] { "INV-001", "INV-002", "INV-005" })]
    [InlineData("modifiedDate=2023-12-31T23:00:00Z", new[] { "INV-003" })]
    [InlineData("modifiedDate<=2024-01-01T01:00:00+02:00", new[] { "INV-003", "INV-004" })]
    [InlineData("dueDate<2024-01-31", new[] { "INV-003", "INV-004" })]
    [InlineData("dueDate=2024-03-15", new[] { "INV-002" })]
    public void Filter_DateOperators_CompareInUtc(string query, string[] expected)
    {
        Assert.Equal(expected, database.Numbers(query));
    }

    [Theory]
    [InlineData("isOverdue=true", new[] { "INV-002" })]
    [InlineData("isOverdue=TRUE", new[] { "INV-002" })]
    [InlineData("isOverdue!=true", new[] { "INV-001", "INV-003", "INV-004", "INV-005" })]
    [InlineData("status=Paid", new[] { "INV-001", "INV-005" })]
    [InlineData("status=paid", new[] { "INV-001", "INV-005" })]
    [InlineData("status!=Paid", new[] { "INV-002", "INV-003", "INV-004" })]
    [InlineData("id=3f2504e0-4f89-11d3-9a0c-0305e82c3301", new[] { "INV-003" })]
    [InlineData("id=3F2504E0-4F89-11D3-9A0C-0305E82C3301", new[] { "INV-003" })]
    [InlineData("id!=3f2504e0-4f89-11d3-9a0c-0305e82c3301", new[] { "INV-001", "INV-002", "INV-004", "INV-005" })]
    public void Filter_EqualityOnlyTypes_ReturnMatchingRows(string query, string[] expected)
    {
        Assert.Equal(expected, database.Numbers(query));
    }

    [Theory]
    [InlineData("customerRef.id=61", new[] { "INV-001", "INV-004" })]
    [InlineData("customerRef.id!=61", new[] { "INV-002", "INV-005" })]
    [InlineData("CustomerRef.CompanyName~ACME", new[] { "INV-001" })]
    [InlineData("lineItems.description~widget", new[] { "INV-001", "INV-004", "INV-005" })]
    [InlineData("lineItems.amount<0", new[] { "INV-004" })]
    [InlineData("lineItems.amount>500", new[] { "INV-005" })]
    [InlineData("lineItems.description=Gadgets && lineItems.amount=60", new[] { "INV-001" })]
    public void Filter_NestedAndCollectionPaths_ReturnMatchingRows(string query, string[] expected)
    {
        Assert.Equal(expected, database.Numbers(query));
    }

    [Theory]
    [InlineData("{totalAmount > 100 || totalAmount < 50} && status != paid", new[] { "INV-002", "INV-003", "INV-004" })]
    [InlineData("status=Paid || status=Draft && quantity>100", new[] { "INV-001", "INV-005" })]
    [InlineData("{status=Paid || status=Draft} && quantity>5", new[] { "INV-003", "INV-005" })]
    [InlineData("quantity>0 && quantity<100 && note~e", new[] { "INV-001", "INV-003" })]
    public void Filter_AndOrAndGroups_FollowPrecedence(string query, string[] expected)
    {
        Assert.Equal(expected, database.Numbers(query));
    }

    [Theory]
    [InlineData("region=uk", new[] { "INV-001" })]
    [InlineData("region~uk", new[] { "INV-001", "INV-004" })]
    [InlineData("region!=uk", new[] { "INV-002", "INV-004" })]
    [InlineData("cost-centre=A1", new[] { "INV-005" })]
    [InlineData("tier=gold || tier=silver", new[] { "INV-001", "INV-005" })]
    [InlineData("status=Paid && region~UK", new[] { "INV-001" })]
    [InlineData("missing=x", new string[0])]
    public void Filter_UnknownNamesWithKeyValueFallback_MatchTags(string query, string[] expected)
    {
        Assert.Equal(expected, database.Numbers(query, InvoiceQueries.WithTags));
    }

    [Fact]
    public void Filter_WithDynamicBuilder_UsesTheBuilderForUnknownNames()
    {
        var properties = new QueryableProperties<Invoice>("Invoice")
            .Add("status", i => i.Status)
            .WithDynamic((key, op, value) => op == QueryOperator.NotEqual
                ? i => !i.Tags.Any(t => t.Key == key && t.Value == value)
                : i => i.Tags.Any(t => t.Key == key && t.Value == value));

        Assert.Equal(["INV-001"], database.Numbers("tier=gold", properties));
        Assert.Equal(["INV-002", "INV-003", "INV-004", "INV-005"], database.Numbers("tier!=gold", properties));
        Assert.Equal(["INV-005"], database.Numbers("status=paid && tier=silver", properties));
    }

    [Fact]
    public void Filter_LongOrChainAtMaxLength_ExecutesAsBalancedTree()
    {
        var terms = Enumerable.Range(0, 170).Select(i => "quantity=" + (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var query = string.Join("||", terms);
        Assert.True(query.Length <= QueryParser.MaxLength);

        Assert.Equal(["INV-001", "INV-002", "INV-004"], database.Numbers(query));
    }

    [Fact]
    public void Filter_DeepestAllowedNesting_Executes()
    {
        var query = "status=Paid";
        for (var i = 0; i < QueryParser.MaxNestingDepth; i++)
        {
            query = "{" + query + (i % 2 == 0 ? " && quantity>0}" : " || quantity=1}");
        }

        Assert.Equal(["INV-001", "INV-005"], database.Numbers(query));
    }

    [Fact]
    public void Filter_Values_ReachSqlAsParametersNotLiterals()
    {
        using var db = database.CreateContext();
        var filter = InvoiceQueries.Properties.TryBuildFilter("note~'zeb' && quantity>99 && status=Paid");
        Assert.True(filter.IsSuccess, filter.Error);

        var sql = db.Invoices.Where(filter.Value!).ToQueryString();
        var statement = sql[sql.IndexOf("SELECT", StringComparison.Ordinal)..];

        Assert.DoesNotContain("zeb", statement, StringComparison.Ordinal);
        Assert.DoesNotContain("99", statement, StringComparison.Ordinal);
        Assert.DoesNotContain("'Paid'", statement, StringComparison.Ordinal);
        Assert.Contains("lower(", statement, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TryBuildFilter_NullOrBlank_ReturnsSuccessWithNoPredicate()
    {
        foreach (var query in new[] { null, "", "  \t" })
        {
            var filter = InvoiceQueries.Properties.TryBuildFilter(query);
            Assert.True(filter.IsSuccess);
            Assert.Null(filter.Value);
        }

        Assert.Equal(5, database.Numbers("  ").Length);
    }

    [Fact]
    public void ToPredicate_CompiledInMemory_MatchesSqliteAndToleratesNullNavigations()
    {
        var invoices = TestData.Invoices();
        var query = QueryParser.Parse("customerRef.companyName~a || note!=x && lineItems.amount>50").Value;
        Expression<Func<Invoice, bool>> predicate = InvoiceQueries.Properties.ToPredicate(query).Value;

        var inMemory = invoices.Where(predicate.Compile()).Select(i => i.Number);

        Assert.Equal(database.Numbers(query.ToString()), inMemory);
    }
}
