namespace Consentry.Querying.Tests;

/// <summary>Queries that parse but cannot be applied to the entity: messages are values, never exceptions.</summary>
public sealed class QueryValidationTests
{
    private static string FilterError(string query, QueryableProperties<Invoice>? properties = null)
    {
        var result = (properties ?? InvoiceQueries.Properties).TryBuildFilter(query);
        Assert.False(result.IsSuccess, $"Expected '{query}' to be rejected.");
        return result.Error;
    }

    [Theory]
    [InlineData("isCompleted=true", "Error parsing query - Could not resolve property isCompleted on Invoice")]
    [InlineData("customerRef.foo=1", "Error parsing query - Could not resolve property customerRef.foo on Invoice")]
    [InlineData("lineItems.foo=1", "Error parsing query - Could not resolve property lineItems.foo on Invoice")]
    [InlineData("note.length=1", "Error parsing query - Could not resolve property note.length on Invoice")]
    [InlineData("status=Paid && isCompleted=true", "Error parsing query - Could not resolve property isCompleted on Invoice")]
    public void TryBuildFilter_UnknownProperty_ReturnsCouldNotResolve(string query, string expected)
    {
        Assert.Equal(expected, FilterError(query));
    }

    [Theory]
    [InlineData("customerRef=61")]
    [InlineData("lineItems~widget")]
    public void TryBuildFilter_ObjectWithoutSubProperty_ExplainsToQueryASubProperty(string query)
    {
        var error = FilterError(query);

        Assert.StartsWith("Error parsing query - Could not resolve property ", error);
        Assert.Contains("it is an object; query one of its properties", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("totalAmount~5", "Error parsing query - Operator '~' is not supported for property 'totalAmount' of type Number (supported: =, !=, >, <, >=, <=)")]
    [InlineData("note>a", "Error parsing query - Operator '>' is not supported for property 'note' of type String (supported: =, !=, ~)")]
    [InlineData("issueDate~2024", "Error parsing query - Operator '~' is not supported for property 'issueDate' of type Date (supported: =, !=, >, <, >=, <=)")]
    [InlineData("isOverdue>=true", "Error parsing query - Operator '>=' is not supported for property 'isOverdue' of type Boolean (supported: =, !=)")]
    [InlineData("status~Pa", "Error parsing query - Operator '~' is not supported for property 'status' of type Enum (supported: =, !=)")]
    [InlineData("id<3f2504e0-4f89-11d3-9a0c-0305e82c3301", "Error parsing query - Operator '<' is not supported for property 'id' of type Guid (supported: =, !=)")]
    [InlineData("lineItems.amount~1", "Error parsing query - Operator '~' is not supported for property 'lineItems.amount' of type Number (supported: =, !=, >, <, >=, <=)")]
    public void TryBuildFilter_OperatorNotAllowedForType_ReturnsOperatorError(string query, string expected)
    {
        Assert.Equal(expected, FilterError(query));
    }

    [Fact]
    public void TryBuildFilter_OrderingOperatorOnTag_ReturnsOperatorError()
    {
        Assert.Equal(
            "Error parsing query - Operator '>' is not supported for property 'region' of type String (supported: =, !=, ~)",
            FilterError("region>uk", InvoiceQueries.WithTags));
    }

    [Theory]
    [InlineData("issueDate=abc", "Error parsing query - Value 'abc' is not a valid Date for property 'issueDate' (expected an ISO 8601 date such as 2024-01-31 or 2024-01-31T10:00:00Z)")]
    [InlineData("quantity=1.5", "Error parsing query - Value '1.5' is not a valid Number for property 'quantity' (expected a whole number between -2147483648 and 2147483647)")]
    [InlineData("quantity>99999999999", "Error parsing query - Value '99999999999' is not a valid Number for property 'quantity' (expected a whole number between -2147483648 and 2147483647)")]
    [InlineData("totalAmount>ten", "Error parsing query - Value 'ten' is not a valid Number for property 'totalAmount' (expected a number such as -12.5 or 1e3)")]
    [InlineData("rate=NaN", "Error parsing query - Value 'NaN' is not a valid Number for property 'rate' (expected a number such as -12.5 or 1e3)")]
    [InlineData("rate<1e400", "Error parsing query - Value '1e400' is not a valid Number for property 'rate' (expected a number such as -12.5 or 1e3)")]
    [InlineData("isOverdue=yes", "Error parsing query - Value 'yes' is not a valid Boolean for property 'isOverdue' (expected true or false)")]
    [InlineData("status=Unknown", "Error parsing query - Value 'Unknown' is not a valid Enum for property 'status' (expected one of: Draft, Submitted, Paid, Void)")]
    [InlineData("status=2", "Error parsing query - Value '2' is not a valid Enum for property 'status' (expected one of: Draft, Submitted, Paid, Void)")]
    [InlineData("id=42", "Error parsing query - Value '42' is not a valid Guid for property 'id'")]
    [InlineData("paidOnDate=null", "Error parsing query - Value 'null' is not a valid Date for property 'paidOnDate' (querying null is not supported)")]
    [InlineData("customerRef.id=61 && lineItems.amount>lots", "Error parsing query - Value 'lots' is not a valid Number for property 'lineItems.amount' (expected a number such as -12.5 or 1e3)")]
    public void TryBuildFilter_ValueOfWrongType_ReturnsValueError(string query, string expected)
    {
        Assert.Equal(expected, FilterError(query));
    }

    [Theory]
    [InlineData("2024-01-31")]
    [InlineData("2024-01-31T10:00")]
    [InlineData("2024-01-31T10:00Z")]
    [InlineData("2024-01-31T10:00:00")]
    [InlineData("2024-01-31T10:00:00Z")]
    [InlineData("2024-01-31T10:00:00.1234567Z")]
    [InlineData("2024-01-31T10:00:00.5+02:00")]
    [InlineData("2024-01-31T10:00:00-05:30")]
    public void TryBuildFilter_Iso8601Date_IsAccepted(string date)
    {
        Assert.True(InvoiceQueries.Properties.TryBuildFilter("issueDate>" + date).IsSuccess);
        Assert.True(InvoiceQueries.Properties.TryBuildFilter("modifiedDate>" + date).IsSuccess);
        Assert.True(InvoiceQueries.Properties.TryBuildFilter("paidOnDate>" + date).IsSuccess);
    }

    [Theory]
    [InlineData("01/31/2024")]
    [InlineData("31/01/2024")]
    [InlineData("2024-1-31")]
    [InlineData("2024-01-31 10:00")]
    [InlineData("2024-02-30")]
    [InlineData("Jan 31 2024")]
    [InlineData("yesterday")]
    public void TryBuildFilter_NonIsoDate_IsRejected(string date)
    {
        Assert.StartsWith("Error parsing query - Value ", FilterError("issueDate>" + date));
    }

    [Fact]
    public void TryBuildFilter_LongValue_IsClippedInTheMessage()
    {
        var error = FilterError("quantity=" + new string('9', 500));

        Assert.True(error.Length < 250, error);
        Assert.Contains("...' is not a valid Number", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryBuildFilter_MalformedQuery_ReturnsParserError()
    {
        Assert.StartsWith("Error parsing query - Malformed query.", FilterError("status=Paid &&"));
    }

    [Theory]
    [InlineData("STATUS=PAID")]
    [InlineData("TotalAmount>1")]
    [InlineData("CUSTOMERREF.ID=61")]
    [InlineData("LineItems.Description~w")]
    public void TryBuildFilter_PropertyNamesInAnyCase_Resolve(string query)
    {
        Assert.True(InvoiceQueries.Properties.TryBuildFilter(query).IsSuccess);
    }

    [Fact]
    public void Add_UnsupportedTypeOrBadName_ThrowsAtRegistration()
    {
        var properties = new QueryableProperties<Invoice>("Invoice").Add("status", i => i.Status);

        Assert.Throws<ArgumentException>(() => properties.Add("lines", i => i.Lines.Count == 0 ? new object() : i));
        Assert.Throws<ArgumentException>(() => properties.Add("a.b", i => i.Note));
        Assert.Throws<ArgumentException>(() => properties.Add("has space", i => i.Note));
        Assert.Throws<ArgumentException>(() => properties.Add("STATUS", i => i.Note));
    }

    [Fact]
    public void Value_OfFailedResult_Throws()
    {
        var result = QueryParser.Parse("&&");

        Assert.Throws<InvalidOperationException>(() => result.Value);
    }
}
