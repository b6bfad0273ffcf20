using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Contract;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Platforms.Stripe;

/// <summary>
/// Stripe end to end over real HTTP: the customer links through Consentry's Link pages and the simulator's Connect
/// sign-in, every type is read (through Stripe.net, with the platform's key and <c>Stripe-Account</c>), Codat's commerce
/// endpoints serve the records in Codat's shapes, an incremental read fetches only what was created since, and deleting
/// the connection deauthorizes the account at Stripe. Each test signs in as its own user.
/// </summary>
public abstract class StripeEndToEndTests(StripeApp app)
{
    private static readonly Dictionary<string, string> Schemas = new(StringComparer.Ordinal)
    {
        ["commerce-customers"] = "Customer",
        ["commerce-products"] = "Product",
        ["commerce-payments"] = "Payment",
        ["commerce-transactions"] = "Transaction",
        ["commerce-disputes"] = "Dispute",
    };

    private readonly HttpClient _api = app.Alpha();

    [Fact]
    public async Task Link_ReadsEveryType_IncrementallyAfterwards_AndDeletingRevokes()
    {
        var user = StripeApp.NewUser();
        var (companyId, connectionId) = await app.LinkStripeAsync(user);
        var data = $"/companies/{companyId}/connections/{connectionId}/data";

        // First link reads Consentry's default commerce types; transactions and disputes when queued.
        var status = await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, StripeApp.FirstLinkTypes));
        Assert.Equal(StripeApp.FirstLinkTypes.Order(), status.AsObject().Select(p => p.Key).Order());
        foreach (var dataType in new[] { "commerce-transactions", "commerce-disputes" })
        {
            await _api.PostAsync($"/companies/{companyId}/data/queue/{dataType}", null).ExpectAsync(HttpStatusCode.OK);
        }

        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, StripeApp.DataTypes));

        var info = await _api.GetAsync($"{data}/commerce-info").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal($"Simulated Goods Ltd ({user})", info["companyName"]!.GetValue<string>());
        Assert.Equal("GBP", info["baseCurrency"]!.GetValue<string>());
        Assert.Empty(CodatDataDocuments.CheckRecord(CodatDataDocuments.Commerce, info, "CompanyInfo"));

        foreach (var (dataType, schema) in Schemas)
        {
            var page = await _api.GetAsync($"{data}/{dataType}?pageSize=500").ExpectAsync(HttpStatusCode.OK);
            var records = page["results"]!.AsArray();
            Assert.True(records.Count > 0, dataType);
            Assert.All(records, r => Assert.Empty(CodatDataDocuments.CheckRecord(CodatDataDocuments.Commerce, r, schema)));
        }

        // Every customer and charge of the account, across pages of ten (the connector followed starting_after).
        var stats = await app.StatsAsync(user);
        Assert.Equal(stats["counts"]!["customers"]!.GetValue<int>(), await TotalAsync(data, "commerce-customers"));
        var payments = await _api.GetAsync($"{data}/commerce-payments?pageSize=500").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(stats["counts"]!["charges"]!.GetValue<int>(), payments["results"]!.AsArray().Count(p => p!["amount"]!.GetValue<decimal>() > 0));
        Assert.Contains(payments["results"]!.AsArray(), p => p!["amount"]!.GetValue<decimal>() < 0);
        var products = await _api.GetAsync($"{data}/commerce-products?pageSize=500").ExpectAsync(HttpStatusCode.OK);
        Assert.All(products["results"]!.AsArray(), p => Assert.True(p!["variants"]![0]!["prices"]![0]!["unitPrice"]!.GetValue<decimal>() > 0));

        // Incremental: a new payment is read with created[gte] the last read; the old ones are not read again.
        var added = await app.ControlAsync($"users/{Uri.EscapeDataString(user)}/charges/add", new { count = 1 });
        var queued = await _api.PostAsync($"/companies/{companyId}/data/queue/commerce-payments", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["commerce-payments"]!["latestSuccessfulSyncId"]?.GetValue<string>() == queued["id"]!.GetValue<string>());
        var dataset = await app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().SingleAsync(d => d.Id == Guid.Parse(queued["id"]!.GetValue<string>())));
        Assert.NotNull(dataset.ModifiedSince);
        Assert.InRange(dataset.RecordsRead, 1, 5);
        var newPayment = added["changed"]![0]!.GetValue<string>();
        var one = await _api.GetAsync($"{data}/commerce-payments?query={Uri.EscapeDataString($"id={newPayment}")}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(42m, Assert.Single(one["results"]!.AsArray())!["amount"]!.GetValue<decimal>());

        // Deleting the connection deauthorizes the account at Stripe (POST /oauth/deauthorize).
        Assert.True((await app.StatsAsync(user))["connected"]!.GetValue<bool>());
        await _api.DeleteAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.False((await app.StatsAsync(user))["connected"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SimulatedStripe_IsEnabledAndMarkedSimulated()
    {
        var stripe = await _api.GetAsync("/integrations/exgd").ExpectAsync(HttpStatusCode.OK);
        Assert.True(stripe["enabled"]!.GetValue<bool>());
        var settings = await _api.GetAsync("/integrations/exgd/settings").ExpectAsync(HttpStatusCode.OK);
        Assert.True(settings["simulated"]!.GetValue<bool>());
    }

    private async Task<int> TotalAsync(string data, string path) =>
        (await _api.GetAsync($"{data}/{path}?pageSize=1").ExpectAsync(HttpStatusCode.OK))["totalResults"]!.GetValue<int>();
}

public sealed class StripeEndToEndTests_Sqlite(SqliteStripeApp app) : StripeEndToEndTests(app), IClassFixture<SqliteStripeApp>;

public sealed class StripeEndToEndTests_Postgres(PostgresStripeApp app) : StripeEndToEndTests(app), IClassFixture<PostgresStripeApp>;
