using System.Text.Json;
using System.Text.Json.Nodes;
using Consentry.Connectors.Platforms.Plaid;

namespace Consentry.Api.Tests.Platforms.Plaid;

/// <summary>
/// Plaid's records (as in its document's examples) mapped to Codat's banking shapes, each valid against Codat's schema
/// (<c>codat-oas/Codat-Banking.json</c>): accounts, balances, posted, pending and removed transactions.
/// </summary>
public sealed class PlaidMappingTests
{
    private static readonly DateTime ReadAt = new(2026, 12, 4, 10, 0, 0, DateTimeKind.Utc);

    private const string Item = """{"item_id":"item-1","institution_id":"ins_109508","institution_name":"First Platypus Bank"}""";

    [Theory]
    [InlineData("depository", "checking", "Debit", "Depository")]
    [InlineData("credit", "credit card", "Credit", "Credit")]
    [InlineData("loan", "mortgage", "Credit", "Loan")]
    [InlineData("investment", "401k", "Unknown", "Investment")]
    public void Account_IsCodatsAccount(string type, string subtype, string codatType, string identifierType)
    {
        var plaid = $$"""
            {"account_id":"BxBXxLj1m4HMXBm9WZZmCWVbPjX16EHwv99vp","balances":{"available":100,"current":110,"limit":null,"iso_currency_code":"USD","unofficial_currency_code":null},
             "mask":"0000","name":"Plaid Checking","official_name":"Plaid Gold Standard 0% Interest Checking","type":"{{type}}","subtype":"{{subtype}}"}
            """;
        var record = PlaidMapping.Account(Parse(plaid), Parse(Item), ReadAt)!;
        var json = JsonNode.Parse(record.Json)!;
        Assert.Empty(PlaidDocuments.ValidateBanking(json, "Account"));
        Assert.Equal(codatType, json["type"]!.GetValue<string>());
        Assert.Equal(identifierType, json["identifiers"]!["type"]!.GetValue<string>());
        Assert.Equal("****0000", json["identifiers"]!["maskedAccountNumber"]!.GetValue<string>());
        Assert.Equal("First Platypus Bank", json["institution"]!["name"]!.GetValue<string>());
        Assert.Equal(110m, json["balance"]!["current"]!.GetValue<decimal>());
    }

    [Fact]
    public void Balance_IsOnePerAccountAndDay()
    {
        var plaid = """{"account_id":"acc-1","balances":{"available":null,"current":410,"limit":2000,"iso_currency_code":"USD","unofficial_currency_code":null,"last_updated_datetime":"2026-12-03T21:14:00Z"},"mask":"3333","name":"Card","official_name":null,"type":"credit","subtype":"credit card"}""";
        var record = PlaidMapping.Balance(Parse(plaid), ReadAt)!;
        Assert.Equal("acc-1:2026-12-03", record.Id);
        var json = JsonNode.Parse(record.Json)!;
        Assert.Empty(PlaidDocuments.ValidateBanking(json, "AccountBalance"));
        Assert.Equal(2000m, json["balance"]!["limit"]!.GetValue<decimal>());
    }

    [Theory]
    [InlineData(false, 6.33, -6.33)]
    [InlineData(true, -500, 500)]
    public void Transaction_IsCodatsTransaction_WithCodatsSign(bool pending, double plaidAmount, double codatAmount)
    {
        var plaid = $$$"""
            {"account_id":"acc-1","amount":{{{plaidAmount.ToString(System.Globalization.CultureInfo.InvariantCulture)}}},"iso_currency_code":"USD","unofficial_currency_code":null,
             "date":"2026-11-30","authorized_date":"2026-11-28","name":"Uber 063015 SF**POOL**","merchant_name":"Uber","payment_channel":"online",
             "pending":{{{(pending ? "true" : "false")}}},"transaction_id":"lPNjeW1nR6CDn5okmGQ6hEpMo4lLNoSrzqDje","transaction_code":null,
             "personal_finance_category":{"primary":"TRANSPORTATION","detailed":"TRANSPORTATION_TAXIS_AND_RIDE_SHARES","confidence_level":"VERY_HIGH"}}
            """;
        var record = PlaidMapping.Transaction(Parse(plaid), ReadAt)!;
        var json = JsonNode.Parse(record.Json)!;
        Assert.Empty(PlaidDocuments.ValidateBanking(json, "Transaction"));
        Assert.Equal((decimal)codatAmount, json["amount"]!.GetValue<decimal>());
        Assert.Equal("2026-11-28T00:00:00Z", json["authorizedDate"]!.GetValue<string>());
        Assert.Equal(pending ? null : "2026-11-30T00:00:00Z", json["postedDate"]?.GetValue<string>());
        Assert.Equal("TRANSPORTATION_TAXIS_AND_RIDE_SHARES", json["transactionCategoryRef"]!["id"]!.GetValue<string>());
        Assert.Equal("Transportation", json["transactionCategoryRef"]!["name"]!.GetValue<string>());
        Assert.Equal("Purchase", json["code"]!.GetValue<string>());
    }

    [Fact]
    public void RemovedTransaction_IsATombstone()
    {
        var record = PlaidMapping.Removed(Parse("""{"transaction_id":"t-1","account_id":"acc-1"}"""))!;
        Assert.True(record.Tombstone);
        Assert.Equal("t-1", record.Id);
        Assert.Null(PlaidMapping.Removed(Parse("""{"account_id":"acc-1"}""")));
    }

    [Theory]
    [InlineData(400, "ITEM_ERROR", "ITEM_LOGIN_REQUIRED", null, "Deauthorized", false)]
    [InlineData(400, "ITEM_ERROR", "ITEM_LOGIN_REQUIRED", "OAUTH_CONSENT_EXPIRED", "Deauthorized", true)]
    [InlineData(400, "ITEM_ERROR", "PENDING_EXPIRATION", null, "Deauthorized", true)]
    [InlineData(400, "INVALID_INPUT", "INVALID_ACCESS_TOKEN", null, "Deauthorized", false)]
    [InlineData(429, "RATE_LIMIT_EXCEEDED", "TRANSACTIONS_SYNC_LIMIT", null, "RateLimited", false)]
    [InlineData(500, "API_ERROR", "INTERNAL_SERVER_ERROR", null, "Failed", false)]
    [InlineData(400, "INVALID_INPUT", "INVALID_API_KEYS", null, "Failed", false)]
    public void PlaidErrors_BecomeTheEnginesOutcomes(int status, string type, string code, string? reason, string outcome, bool consentExpired)
    {
        var page = PlaidConnector.Problem(new PlaidError(status, type, code, reason, "message", null, "req"));
        Assert.Equal(outcome, page.GetType().Name);
        if (page is Consentry.Connectors.DataPage.Deauthorized gone)
        {
            Assert.Equal(consentExpired, gone.ConsentExpired);
            Assert.Contains(code, gone.Detail, StringComparison.Ordinal);
        }

        if (page is Consentry.Connectors.DataPage.Failed failed)
        {
            Assert.Equal(status >= 500, failed.Transient);
        }
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
