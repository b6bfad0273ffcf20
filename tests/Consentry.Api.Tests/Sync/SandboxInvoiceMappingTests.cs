using System.Text.Json;
using Consentry.Connectors.Generic;

namespace Consentry.Api.Tests.Sync;

/// <summary>
/// Invoices are mapped straight to UTF-8 (no intermediate <c>JsonObject</c>); the text must stay exactly what the
/// <c>JsonObject</c> mapping wrote, so stored records and the Codat-shaped answers do not change.
/// </summary>
public sealed class SandboxInvoiceMappingTests
{
    public static TheoryData<string> Invoices() => new()
    {
        """{"id":"inv-1","invoiceNumber":"INV-0001","customerId":"c-1","issueDate":"2024-06-01","dueDate":"2024-07-01","currency":"GBP","lineItems":[{"description":"Consulting <b>&</b> \u00e9t\u00e9 \"quoted\"","unitAmount":120.50,"quantity":2,"subTotal":241.000,"accountId":"a-4000"},{"description":null,"unitAmount":1e2,"quantity":0.333333333333333333,"subTotal":-5,"accountId":7}],"subTotal":241.00,"totalTaxAmount":48.2,"totalAmount":289.2,"amountDue":0,"status":"Paid","modifiedDate":"2024-06-02T10:00:00Z"}""",
        """{"id":"inv-2","invoiceNumber":42,"status":"Draft"}""",
        """{"id":"inv-3","lineItems":"not an array","subTotal":"12.00","totalAmount":null,"customerId":"\u2603 snow"}""",
        """{"id":"inv-4","lineItems":[],"amountDue":79228162514264337593543950335}""",
    };

    [Theory]
    [MemberData(nameof(Invoices))]
    public void WrittenStraightToUtf8_IsTheSameTextAsTheJsonObjectMapping(string source)
    {
        using var document = JsonDocument.Parse(source);
        const string modified = "2026-12-05T01:02:03Z";

        Assert.Equal(
            SandboxMapping.Invoice(document.RootElement, modified).ToJsonString(),
            SandboxMapping.InvoiceJson(document.RootElement, modified));
    }

    [Fact]
    public void OneThreadMappingInvoicesInTurn_ReusesItsBuffer_WithoutCarryingText()
    {
        // Long, short, very long (past the 64 KiB kept), short again: each the JsonObject mapping's text, nothing of the
        // invoice before it.
        var lines = string.Join(",", Enumerable.Range(0, 1000).Select(i => $$"""{"description":"line {{i}}","unitAmount":1.5,"quantity":{{i}},"subTotal":2,"accountId":"a-{{i}}"}"""));
        string[] sources =
        [
            """{"id":"inv-1","invoiceNumber":"INV-0001","lineItems":[{"description":"Consulting <b>&</b> \u00e9t\u00e9","unitAmount":120.50,"quantity":2}],"totalAmount":289.2,"status":"Paid"}""",
            """{"id":"inv-short"}""",
            $$"""{"id":"inv-long","lineItems":[{{lines}}]}""",
            """{"id":"inv-short-again","status":"Paid"}""",
        ];
        foreach (var source in sources)
        {
            using var document = JsonDocument.Parse(source);
            Assert.Equal(SandboxMapping.Invoice(document.RootElement, "m").ToJsonString(), SandboxMapping.InvoiceJson(document.RootElement, "m"));
        }
    }

    [Fact]
    public void Apply_UsesTheDirectWriter_ForInvoices()
    {
        using var document = JsonDocument.Parse("""{"id":"inv-9","totalAmount":10.5,"modifiedDate":"2024-01-02T03:04:05Z"}""");
        var readAt = new DateTime(2026, 12, 5, 1, 2, 3, DateTimeKind.Utc);

        var mapped = SandboxMapping.Apply("sandbox:invoices", document.RootElement, readAt)!;

        Assert.Equal("inv-9", mapped.Id);
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), mapped.SourceModifiedDate);
        Assert.Equal(SandboxMapping.Invoice(document.RootElement, "2026-12-05T01:02:03Z").ToJsonString(), mapped.Json);
    }
}
