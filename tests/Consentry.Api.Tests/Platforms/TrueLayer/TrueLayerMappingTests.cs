using System.Text.Json;
using System.Text.Json.Nodes;
using Consentry.Connectors.Platforms.TrueLayer;

namespace Consentry.Api.Tests.Platforms.TrueLayer;

/// <summary>
/// The TrueLayer mapping, pure (no HTTP): TrueLayer's own documented examples (<see cref="TrueLayerExamples"/>) map to
/// records valid against Codat's banking schemas (Codat-Banking.json), with the values where Codat expects them.
/// </summary>
public sealed class TrueLayerMappingTests
{
    private static readonly DateTime ReadAt = new(2026, 12, 4, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void AccountWithBalance_IsACodatDebitAccount_WithTheOverdraftAsItsLimit()
    {
        var mapped = TrueLayerMapping.Account(First(TrueLayerExamples.Accounts), First(TrueLayerExamples.Balance), card: false, ReadAt)!;
        var json = JsonNode.Parse(mapped.Json)!;
        Assert.Empty(TrueLayerApp.ValidateBanking(json, "Account"));
        Assert.Equal("f1234560abf9f57287637624def390871", mapped.Id);
        Assert.Equal(("Debit", "Club Lloyds", "GBP"), (json["type"]!.GetValue<string>(), json["name"]!.GetValue<string>(), json["currency"]!.GetValue<string>()));
        Assert.Equal(("Depository", "TRANSACTION", "12345678", "12-34-56", "GB35LOYD12345678901234", "LOYDGB2L"), (
            json["identifiers"]!["type"]!.GetValue<string>(), json["identifiers"]!["subtype"]!.GetValue<string>(), json["identifiers"]!["number"]!.GetValue<string>(),
            json["identifiers"]!["bankCode"]!.GetValue<string>(), json["identifiers"]!["iban"]!.GetValue<string>(), json["identifiers"]!["bic"]!.GetValue<string>()));
        Assert.Equal((1161.2m, 1161.2m, -1000m), (json["balance"]!["current"]!.GetValue<decimal>(), json["balance"]!["available"]!.GetValue<decimal>(), json["balance"]!["limit"]!.GetValue<decimal>()));
        Assert.Equal(("lloyds", "Lloyds Bank"), (json["institution"]!["id"]!.GetValue<string>(), json["institution"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Card_IsACodatCreditAccount_IdentifiedAsACard()
    {
        var json = JsonNode.Parse(TrueLayerMapping.Account(First(TrueLayerExamples.Cards), First(TrueLayerExamples.CardBalance), card: true, ReadAt)!.Json)!;
        Assert.Empty(TrueLayerApp.ValidateBanking(json, "Account"));
        Assert.Equal(("Credit", "Card", "CREDIT", "**** **** **** 1234"), (json["type"]!.GetValue<string>(), json["identifiers"]!["type"]!.GetValue<string>(),
            json["identifiers"]!["subtype"]!.GetValue<string>(), json["identifiers"]!["maskedAccountNumber"]!.GetValue<string>()));
        Assert.Equal(3300m, json["balance"]!["limit"]!.GetValue<decimal>());
        Assert.Equal("A. N. Other", json["holder"]!.GetValue<string>());
    }

    [Fact]
    public void Balances_AreOnePerAccountAndDay()
    {
        var mapped = TrueLayerMapping.Balance("acc-1", First(TrueLayerExamples.Balance), card: false, ReadAt)!;
        Assert.Equal("acc-1:2017-02-07", mapped.Id);
        var json = JsonNode.Parse(mapped.Json)!;
        Assert.Empty(TrueLayerApp.ValidateBanking(json, "AccountBalance"));
        Assert.Equal(1161.2m, json["balance"]!["current"]!.GetValue<decimal>());
        Assert.Empty(TrueLayerApp.ValidateBanking(JsonNode.Parse(TrueLayerMapping.Balance("card-1", First(TrueLayerExamples.CardBalance), card: true, ReadAt)!.Json), "AccountBalance"));
    }

    [Fact]
    public void SettledAndPendingTransactions_AreCodatTransactions()
    {
        var settled = JsonNode.Parse(TrueLayerMapping.Transaction("acc-1", First(TrueLayerExamples.Transactions), pending: false, ReadAt)!.Json)!;
        Assert.Empty(TrueLayerApp.ValidateBanking(settled, "Transaction"));
        Assert.Equal(("03c333979b729315545816aaa365c33f", "acc-1", -2.99m, "Purchase", "Google play"), (settled["id"]!.GetValue<string>(), settled["accountId"]!.GetValue<string>(),
            settled["amount"]!.GetValue<decimal>(), settled["code"]!.GetValue<string>(), settled["merchantName"]!.GetValue<string>()));
        Assert.Equal("2018-03-06T00:00:00", settled["postedDate"]!.GetValue<string>());
        Assert.Equal(("entertainment-games", "Entertainment > Games"), (settled["transactionCategoryRef"]!["id"]!.GetValue<string>(), settled["transactionCategoryRef"]!["name"]!.GetValue<string>()));

        var pending = JsonNode.Parse(TrueLayerMapping.Transaction("acc-1", First(TrueLayerExamples.PendingTransactions), pending: true, ReadAt)!.Json)!;
        Assert.Empty(TrueLayerApp.ValidateBanking(pending, "Transaction"));
        Assert.Null(pending["postedDate"]);
        Assert.Equal("2018-03-06T00:00:00", pending["authorizedDate"]!.GetValue<string>());
    }

    [Fact]
    public void RecordsWithoutIds_AreNotMapped_AndUnknownCategoriesAreUnknown()
    {
        Assert.Null(TrueLayerMapping.Transaction("acc-1", JsonDocument.Parse("""{"amount":1,"currency":"GBP"}""").RootElement, pending: false, ReadAt));
        Assert.Null(TrueLayerMapping.Account(JsonDocument.Parse("""{"display_name":"x"}""").RootElement, null, card: false, ReadAt));
        var odd = JsonNode.Parse(TrueLayerMapping.Transaction("acc-1", JsonDocument.Parse("""{"transaction_id":"t1","amount":1,"currency":"GBP","transaction_category":"NEW_THING","transaction_classification":[]}""").RootElement, pending: false, ReadAt)!.Json)!;
        Assert.Empty(TrueLayerApp.ValidateBanking(odd, "Transaction"));
        Assert.Equal("Unknown", odd["code"]!.GetValue<string>());
        Assert.Null(odd["transactionCategoryRef"]);
    }

    private static JsonElement First(string envelope) => JsonDocument.Parse(envelope).RootElement.GetProperty("results")[0].Clone();
}
