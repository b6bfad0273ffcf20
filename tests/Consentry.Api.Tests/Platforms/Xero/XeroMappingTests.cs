using System.Text.Json;
using System.Text.Json.Nodes;
using Consentry.Connectors.Data;
using Consentry.Connectors.Platforms.Xero;

namespace Consentry.Api.Tests.Platforms.Xero;

/// <summary>
/// The Xero mapping, pure (no HTTP): the example answers in Xero's own document (xero_accounting.yaml) and records with
/// the statuses that matter (voided, deleted, archived, tax-inclusive lines) map to records valid against Codat's schemas.
/// </summary>
public sealed class XeroMappingTests
{
    private static readonly DateTime ReadAt = new(2026, 12, 4, 10, 0, 0, DateTimeKind.Utc);
    private static readonly Lazy<JsonObject> Document = new(() => VendorDocuments.Load("platforms/xero/xero_accounting.yaml"));

    [Theory]
    [InlineData("/Organisation", "Organisations", "AccountingCompanyInfo")]
    [InlineData("/Accounts", "Accounts", "AccountingAccount")]
    [InlineData("/Contacts", "Contacts", "AccountingCustomer")]
    [InlineData("/Contacts", "Contacts", "AccountingSupplier")]
    [InlineData("/Invoices", "Invoices", "AccountingInvoice")]
    [InlineData("/Payments", "Payments", "AccountingPayment")]
    public void XerosOwnExamples_MapToValidCodatRecords(string path, string array, string schema)
    {
        var example = Document.Value["paths"]![path]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["example"]!;
        var records = example[array]!.AsArray();
        Assert.NotEmpty(records);
        foreach (var record in records)
        {
            var mapped = Map(schema, record!);
            Assert.NotNull(mapped);
            Assert.Empty(VendorDocuments.ValidateCodat(JsonNode.Parse(mapped.Json), schema));
        }
    }

    [Fact]
    public void Invoices_StatusesAmountsAndLines_AsCodatShowsThem()
    {
        var deleted = Invoice("ACCREC", "DELETED", paid: 0);
        Assert.Equal("Void", deleted["status"]!.GetValue<string>());
        Assert.True(deleted["metadata"]!["isDeleted"]!.GetValue<bool>());
        var voided = Invoice("ACCREC", "VOIDED", paid: 0);
        Assert.Equal("Void", voided["status"]!.GetValue<string>());
        Assert.False(voided["metadata"]!["isDeleted"]!.GetValue<bool>());
        Assert.Equal("PartiallyPaid", Invoice("ACCREC", "AUTHORISED", paid: 10)["status"]!.GetValue<string>());
        Assert.Equal("Submitted", Invoice("ACCREC", "AUTHORISED", paid: 0)["status"]!.GetValue<string>());

        var bill = Invoice("ACCPAY", "AUTHORISED", paid: 0);
        Assert.Equal("Open", bill["status"]!.GetValue<string>());
        Assert.Equal("c0ffee00-0000-0000-0000-000000000001", bill["supplierRef"]!["id"]!.GetValue<string>());
        Assert.Empty(VendorDocuments.ValidateCodat(bill, "AccountingBill"));

        // Tax-inclusive lines: the line's subtotal is its amount less tax.
        var line = deleted["lineItems"]![0]!;
        Assert.Equal(100m, line["subTotal"]!.GetValue<decimal>());
        Assert.Equal(120m, line["totalAmount"]!.GetValue<decimal>());
        Assert.Equal("2019-11-14T00:00:00Z", deleted["issueDate"]!.GetValue<string>());
        Assert.Equal("2019-11-14T18:10:38.314Z", deleted["sourceModifiedDate"]!.GetValue<string>());
        Assert.Equal("2026-12-04T10:00:00Z", deleted["modifiedDate"]!.GetValue<string>());
        foreach (var invoice in new[] { deleted, voided })
        {
            Assert.Empty(VendorDocuments.ValidateCodat(invoice, "AccountingInvoice"));
        }
    }

    [Fact]
    public void ArchivedContactsAndAccounts_AreArchived_DeletedPayments_AreDeleted()
    {
        var contact = JsonNode.Parse(XeroMapping.Contact(Parse("""{"ContactID":"c1","ContactStatus":"ARCHIVED","Name":"Old Ltd","UpdatedDateUTC":"/Date(1573755038314+0000)/"}"""), ReadAt, asSupplier: true)!.Json)!;
        Assert.Equal("Archived", contact["status"]!.GetValue<string>());
        Assert.Equal("Old Ltd", contact["supplierName"]!.GetValue<string>());
        Assert.Empty(VendorDocuments.ValidateCodat(contact, "AccountingSupplier"));

        var account = JsonNode.Parse(XeroMapping.Account(Parse("""{"AccountID":"a1","Code":"200","Name":"Sales","Type":"REVENUE","Class":"REVENUE","Status":"DELETED"}"""), ReadAt)!.Json)!;
        Assert.Equal(("Income", "Archived", true), (account["type"]!.GetValue<string>(), account["status"]!.GetValue<string>(), account["metadata"]!["isDeleted"]!.GetValue<bool>()));

        var payment = JsonNode.Parse(XeroMapping.Payment(Parse("""
            {"PaymentID":"p1","Date":"/Date(1573689600000+0000)/","Amount":50.5,"Status":"DELETED","PaymentType":"ACCRECPAYMENT",
             "Account":{"AccountID":"a1"},"Invoice":{"InvoiceID":"i1","CurrencyCode":"GBP","Contact":{"ContactID":"c1","Name":"Old Ltd"}}}
            """), ReadAt)!.Json)!;
        Assert.True(payment["metadata"]!["isDeleted"]!.GetValue<bool>());
        Assert.Equal(-50.5m, payment["lines"]![0]!["links"]![0]!["amount"]!.GetValue<decimal>());
        Assert.Empty(VendorDocuments.ValidateCodat(payment, "AccountingPayment"));
    }

    [Theory]
    [InlineData("/Date(1573755038314+0000)/", "2019-11-14T18:10:38.314")]
    [InlineData("/Date(1552404447003)/", "2019-03-12T15:27:27.003")]
    [InlineData("2019-11-14T00:00:00", "2019-11-14T00:00:00")]
    public void XeroDates_ParseToUtc(string text, string expected) =>
        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal),
            XeroMapping.ParseDate(text));

    [Fact]
    public void RecordsWithoutAnId_AreNotMapped() =>
        Assert.Null(XeroMapping.Invoice(Parse("""{"Type":"ACCREC","Status":"PAID"}"""), ReadAt));

    private static MappedRecord? Map(string schema, JsonNode record)
    {
        var element = Parse(record.ToJsonString());
        return schema switch
        {
            "AccountingCompanyInfo" => XeroMapping.Company(element, ReadAt),
            "AccountingAccount" => XeroMapping.Account(element, ReadAt),
            "AccountingCustomer" => XeroMapping.Contact(element, ReadAt, asSupplier: false),
            "AccountingSupplier" => XeroMapping.Contact(element, ReadAt, asSupplier: true),
            "AccountingPayment" => XeroMapping.Payment(element, ReadAt),
            _ => XeroMapping.Invoice(element, ReadAt),
        };
    }

    private static JsonNode Invoice(string type, string status, decimal paid) => JsonNode.Parse(XeroMapping.Invoice(Parse($$"""
        {"Type":"{{type}}","InvoiceID":"i-{{status}}","InvoiceNumber":"INV-1","Status":"{{status}}","LineAmountTypes":"Inclusive",
         "Contact":{"ContactID":"c0ffee00-0000-0000-0000-000000000001","Name":"Acme"},
         "Date":"/Date(1573689600000+0000)/","DueDate":"/Date(1576281600000+0000)/","CurrencyCode":"GBP","CurrencyRate":1,
         "LineItems":[{"Description":"Widgets","Quantity":2,"UnitAmount":60,"TaxAmount":20,"LineAmount":120,"AccountCode":"200"}],
         "SubTotal":100,"TotalTax":20,"Total":120,"AmountDue":{{120 - paid}},"AmountPaid":{{paid}},"UpdatedDateUTC":"/Date(1573755038314+0000)/"}
        """), ReadAt)!.Json)!;

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
