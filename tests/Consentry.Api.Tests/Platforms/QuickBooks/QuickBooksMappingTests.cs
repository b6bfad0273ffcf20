using System.Text.Json;
using System.Text.Json.Nodes;
using Consentry.Connectors.Data;
using Consentry.Connectors.Platforms.QuickBooks;

namespace Consentry.Api.Tests.Platforms.QuickBooks;

/// <summary>
/// QuickBooks entities (Intuit's published samples) mapped to Codat's shapes, with no HTTP: every mapped record must be
/// valid against Codat's schema, and QuickBooks' own rules (void, inactive, Revenue, deletions) must come out as Codat's.
/// </summary>
public sealed class QuickBooksMappingTests
{
    private static readonly DateTime ReadAt = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    public static TheoryData<string, string, string, string> Samples => new()
    {
        { "company", "CompanyInfo", IntuitExamples.CompanyInfo, "AccountingCompanyInfo" },
        { "chartOfAccounts", "Account", IntuitExamples.Account, "AccountingAccount" },
        { "customers", "Customer", IntuitExamples.Customer, "AccountingCustomer" },
        { "suppliers", "Vendor", IntuitExamples.Vendor, "AccountingSupplier" },
        { "invoices", "Invoice", IntuitExamples.Invoice, "AccountingInvoice" },
        { "bills", "Bill", IntuitExamples.Bill, "AccountingBill" },
        { "payments", "Payment", IntuitExamples.Payment, "AccountingPayment" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void IntuitSample_MapsToARecordValidAgainstCodatsSchema(string dataType, string entity, string sample, string schema)
    {
        var mapped = Map(dataType, entity, sample);

        Assert.Empty(VendorDocuments.ValidateCodat(JsonNode.Parse(mapped.Json), schema));
        Assert.Equal(QuickBooksMapping.Entities[dataType], entity);
        var json = JsonNode.Parse(mapped.Json)!;
        Assert.Equal("2025-03-01T12:00:00Z", json["modifiedDate"]!.GetValue<string>());
        Assert.NotNull(mapped.SourceModifiedDate);
        Assert.Equal(mapped.SourceModifiedDate!.Value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), json["sourceModifiedDate"]!.GetValue<string>());
    }

    [Fact]
    public void Invoice_AmountsLinesAndStatus_ComeFromQuickBooksFields()
    {
        var invoice = JsonNode.Parse(Map("invoices", "Invoice", IntuitExamples.Invoice).Json)!;

        Assert.Equal("130", invoice["id"]!.GetValue<string>());
        Assert.Equal("1037", invoice["invoiceNumber"]!.GetValue<string>());
        Assert.Equal("24", invoice["customerRef"]!["id"]!.GetValue<string>());
        Assert.Equal("2014-09-19T00:00:00Z", invoice["issueDate"]!.GetValue<string>());
        Assert.Equal(362.07m, invoice["totalAmount"]!.GetValue<decimal>());
        Assert.Equal(26.82m, invoice["totalTaxAmount"]!.GetValue<decimal>());
        Assert.Equal(335.25m, invoice["subTotal"]!.GetValue<decimal>());
        Assert.Equal(362.07m, invoice["amountDue"]!.GetValue<decimal>());
        Assert.Equal("Submitted", invoice["status"]!.GetValue<string>());
        // The two item lines; QuickBooks' subtotal line is not a line item.
        Assert.Equal(2, invoice["lineItems"]!.AsArray().Count);
        Assert.Equal(12.75m, invoice["lineItems"]![1]!["unitAmount"]!.GetValue<decimal>());
        Assert.False(invoice["metadata"]!["isDeleted"]!.GetValue<bool>());
        // Intuit's -07:00 timestamps in UTC.
        Assert.Equal("2014-09-19T20:16:17Z", invoice["sourceModifiedDate"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(0, 362.07, null, "Paid")]
    [InlineData(100, 362.07, null, "PartiallyPaid")]
    [InlineData(0, 0, "Voided", "Void")]
    public void Invoice_Status_FollowsBalanceAndVoid(decimal balance, decimal total, string? note, string expected)
    {
        var node = JsonNode.Parse(IntuitExamples.Invoice)!["Invoice"]!.AsObject();
        node["Balance"] = balance;
        node["TotalAmt"] = total;
        node["PrivateNote"] = note;
        var invoice = JsonNode.Parse(QuickBooksMapping.Apply("invoices", JsonDocument.Parse(node.ToJsonString()).RootElement, ReadAt)!.Json)!;

        Assert.Equal(expected, invoice["status"]!.GetValue<string>());
        Assert.Empty(VendorDocuments.ValidateCodat(invoice, "AccountingInvoice"));
    }

    [Fact]
    public void InactiveCustomerAndRevenueAccount_AreArchivedAndIncome()
    {
        var customer = JsonNode.Parse(IntuitExamples.Customer)!["Customer"]!.AsObject();
        customer["Active"] = false;
        var mapped = JsonNode.Parse(QuickBooksMapping.Apply("customers", JsonDocument.Parse(customer.ToJsonString()).RootElement, ReadAt)!.Json)!;
        Assert.Equal("Archived", mapped["status"]!.GetValue<string>());
        Assert.Equal("Bill's Windsurf Shop", mapped["customerName"]!.GetValue<string>());
        Assert.Equal("Bill Lucchini", mapped["contactName"]!.GetValue<string>());

        var account = JsonNode.Parse(IntuitExamples.Account)!["Account"]!.AsObject();
        account["Classification"] = "Revenue";
        var income = JsonNode.Parse(QuickBooksMapping.Apply("chartOfAccounts", JsonDocument.Parse(account.ToJsonString()).RootElement, ReadAt)!.Json)!;
        Assert.Equal("Income", income["type"]!.GetValue<string>());
        Assert.Empty(VendorDocuments.ValidateCodat(income, "AccountingAccount"));
    }

    [Fact]
    public void Payment_LinesLinkTheInvoicesTheyPay()
    {
        var payment = JsonNode.Parse(Map("payments", "Payment", IntuitExamples.Payment).Json)!;

        Assert.Equal(65.0m, payment["totalAmount"]!.GetValue<decimal>());
        Assert.Equal("2015-01-16T00:00:00Z", payment["date"]!.GetValue<string>());
        var link = payment["lines"]![0]!["links"]![0]!;
        Assert.Equal("Invoice", link["type"]!.GetValue<string>());
        Assert.Equal("70", link["id"]!.GetValue<string>());
    }

    [Fact]
    public void DeletedEntityFromChangeDataCapture_IsAMarkedDeletion()
    {
        var deleted = JsonDocument.Parse(IntuitExamples.ChangeDataCapture).RootElement
            .GetProperty("CDCResponse")[0].GetProperty("QueryResponse")[0].GetProperty("Invoice")[0];

        var mapped = QuickBooksMapping.Apply("invoices", deleted, ReadAt)!;

        Assert.Equal("136", mapped.Id);
        var json = JsonNode.Parse(mapped.Json)!;
        Assert.True(json["metadata"]!["isDeleted"]!.GetValue<bool>());
        Assert.Equal("2015-12-23T20:55:50Z", json["sourceModifiedDate"]!.GetValue<string>());
    }

    [Fact]
    public void EntityWithoutId_IsNotMapped() =>
        Assert.Null(QuickBooksMapping.Apply("customers", JsonDocument.Parse("""{"DisplayName": "No id"}""").RootElement, ReadAt));

    private static MappedRecord Map(string dataType, string entity, string sample) =>
        QuickBooksMapping.Apply(dataType, JsonDocument.Parse(sample).RootElement.GetProperty(entity), ReadAt)
        ?? throw new InvalidOperationException($"{entity} did not map");
}
