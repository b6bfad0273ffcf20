using System.Text.Json.Nodes;

namespace Consentry.Api.Tests.Platforms;

public sealed class VendorDocumentsTests
{
    [Fact]
    public void Load_XeroAccountingYaml_ReadsPathsAndTypedScalars()
    {
        var xero = VendorDocuments.Load("platforms/xero/xero_accounting.yaml");
        Assert.NotNull(xero["paths"]!["/Invoices"]);
        Assert.Equal(System.Text.Json.JsonValueKind.String, xero["openapi"]!.GetValueKind());
    }

    [Fact]
    public void ValidateCodat_InvoiceMissingRequiredFields_ReportsThem()
    {
        var violations = VendorDocuments.ValidateCodat(new JsonObject { ["id"] = "x", ["status"] = "NotAStatus" }, "AccountingInvoice");
        Assert.NotEmpty(violations);
        Assert.Contains(violations, v => v.Keyword == "enum" || v.Keyword == "required");
    }
}
