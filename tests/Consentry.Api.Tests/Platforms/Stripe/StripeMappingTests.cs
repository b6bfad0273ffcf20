using System.Text.Json.Nodes;
using Consentry.Api.Tests.Contract;
using Consentry.Connectors.Data;
using Consentry.Connectors.Platforms.Stripe;
using Stripe;

namespace Consentry.Api.Tests.Platforms.Stripe;

/// <summary>
/// The Stripe mapping, pure (no HTTP): Stripe's own fixtures (fixtures3.json, read through Stripe.net) and objects with
/// the cases that matter (refunds, fees, expanded prices, zero-decimal currencies, every dispute status) map to records
/// valid against Codat's commerce schemas (Codat-Commerce.json).
/// </summary>
public sealed class StripeMappingTests
{
    private static readonly DateTime ReadAt = new(2026, 12, 4, 10, 0, 0, DateTimeKind.Utc);
    private static readonly Lazy<JsonObject> Fixtures = new(() => VendorDocuments.Load("platforms/stripe/fixtures3.json")["resources"]!.AsObject());
    private static readonly Lazy<OpenApiSchemaValidator> Commerce = new(() => new OpenApiSchemaValidator(VendorDocuments.Load("codat-oas/Codat-Commerce.json")));

    [Fact]
    public void StripesOwnFixtures_MapToValidCodatRecords()
    {
        AssertValid(StripeMapping.CompanyInfo(Fixture<Account>("account"), ReadAt), "CompanyInfo");
        AssertValid(StripeMapping.Customer(Fixture<Customer>("customer"), ReadAt), "Customer");
        AssertValid(StripeMapping.Product(Fixture<Product>("product"), ReadAt), "Product");
        Assert.All(StripeMapping.Payments(Fixture<Charge>("charge"), ReadAt), r => AssertValid(r, "Payment"));
        Assert.All(StripeMapping.Transactions(Fixture<BalanceTransaction>("balance_transaction"), ReadAt), r => AssertValid(r, "Transaction"));
        AssertValid(StripeMapping.Dispute(Fixture<Dispute>("dispute"), ReadAt), "Dispute");

        // The schema check can fail: a status Codat does not have is refused.
        Assert.NotEmpty(Commerce.Value.Validate(JsonNode.Parse("""{"id":"dp_1","currency":"GBP","status":"needs_response"}"""), "#/components/schemas/Dispute"));
    }

    [Fact]
    public void Charge_IsAPayment_AndItsRefundASecondNegativeOne()
    {
        var charge = With<Charge>("charge", o => { o["amount"] = 2500; o["amount_refunded"] = 1000; o["currency"] = "gbp"; o["status"] = "succeeded"; });
        var records = StripeMapping.Payments(charge, ReadAt).ToList();
        Assert.Equal(2, records.Count);
        var paid = AssertValid(records[0], "Payment");
        Assert.Equal((25.00m, "GBP", "Paid", "Stripe"), (paid["amount"]!.GetValue<decimal>(), paid["currency"]!.GetValue<string>(), paid["status"]!.GetValue<string>(), paid["paymentProvider"]!.GetValue<string>()));
        var refund = AssertValid(records[1], "Payment");
        Assert.Equal($"{charge.Id}-refund", refund["id"]!.GetValue<string>());
        Assert.Equal(-10.00m, refund["amount"]!.GetValue<decimal>());
    }

    [Fact]
    public void BalanceTransaction_TypeMapped_AndItsFeeAPaymentFeeOfItsOwn()
    {
        var txn = With<BalanceTransaction>("balance_transaction", o => { o["amount"] = 10000; o["fee"] = 170; o["net"] = 9830; o["type"] = "charge"; o["currency"] = "jpy"; });
        var records = StripeMapping.Transactions(txn, ReadAt).ToList();
        var payment = AssertValid(records[0], "Transaction");
        Assert.Equal(("Payment", 10000m, "JPY"), (payment["type"]!.GetValue<string>(), payment["totalAmount"]!.GetValue<decimal>(), payment["currency"]!.GetValue<string>()));
        Assert.Equal("Payment", payment["transactionSourceRef"]!["type"]!.GetValue<string>());
        var fee = AssertValid(records[1], "Transaction");
        Assert.Equal(("PaymentFee", -170m), (fee["type"]!.GetValue<string>(), fee["totalAmount"]!.GetValue<decimal>()));

        Assert.Equal("Payout", StripeMapping.TransactionType("payout"));
        Assert.Equal("FailedPayout", StripeMapping.TransactionType("payout_failure"));
        Assert.Equal("Refund", StripeMapping.TransactionType("refund"));
        Assert.Equal("Unknown", StripeMapping.TransactionType("adjustment"));
    }

    [Fact]
    public void Product_WithItsExpandedDefaultPrice_IsOneVariantWithThatPrice()
    {
        var price = Fixtures.Value["price"]!.DeepClone().AsObject();
        price["unit_amount"] = 1999;
        price["currency"] = "eur";
        var product = With<Product>("product", o => o["default_price"] = price);
        var mapped = AssertValid(StripeMapping.Product(product, ReadAt), "Product");
        var variant = Assert.Single(mapped["variants"]!.AsArray())!;
        Assert.Equal(price["id"]!.GetValue<string>(), variant["id"]!.GetValue<string>());
        Assert.Equal((19.99m, "EUR"), (variant["prices"]![0]!["unitPrice"]!.GetValue<decimal>(), variant["prices"]![0]!["currency"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("warning_needs_response", "InquiryEvidenceRequired")]
    [InlineData("warning_under_review", "InquiryProcessing")]
    [InlineData("warning_closed", "InquiryClosed")]
    [InlineData("needs_response", "EvidenceRequired")]
    [InlineData("under_review", "Processing")]
    [InlineData("charge_refunded", "ChargeRefunded")]
    [InlineData("won", "Won")]
    [InlineData("lost", "Lost")]
    public void Dispute_StatusesAsCodatNamesThem(string stripe, string codat)
    {
        var dispute = AssertValid(StripeMapping.Dispute(With<Dispute>("dispute", o => o["status"] = stripe), ReadAt), "Dispute");
        Assert.Equal(codat, dispute["status"]!.GetValue<string>());
        Assert.Equal("Payment", dispute["disputedTransactions"]![0]!["type"]!.GetValue<string>());
    }

    private static T Fixture<T>(string name)
        where T : IStripeEntity => StripeEntity.FromJson<T>(Fixtures.Value[name]!.ToJsonString());

    private static T With<T>(string name, Action<JsonObject> change)
        where T : IStripeEntity
    {
        var json = Fixtures.Value[name]!.DeepClone().AsObject();
        change(json);
        return StripeEntity.FromJson<T>(json.ToJsonString());
    }

    private static JsonNode AssertValid(MappedRecord record, string schema)
    {
        var json = JsonNode.Parse(record.Json)!;
        Assert.Empty(CodatDataDocuments.CheckRecord(CodatDataDocuments.Commerce, json, schema));
        // Codat's company information has no id, and its product no dates of its own (its variant has them).
        if (schema != "CompanyInfo")
        {
            Assert.Equal(record.Id, json["id"]!.GetValue<string>());
        }

        var dated = schema == "Product" ? json["variants"]![0]! : json;
        Assert.Equal("2026-12-04T10:00:00Z", dated["modifiedDate"]!.GetValue<string>());
        return json;
    }
}
