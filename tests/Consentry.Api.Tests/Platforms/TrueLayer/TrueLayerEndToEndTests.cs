using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;

namespace Consentry.Api.Tests.Platforms.TrueLayer;

/// <summary>
/// TrueLayer end to end over real HTTP: the customer links through Consentry's Link page, TrueLayer's provider chooser
/// and the bank's sign-in and consent; 12 months of transactions (and the pending ones), the accounts, cards and
/// balances are read and served in Codat's banking shapes; the 90-day consent is on the connection, warned before it
/// ends (moved clock), ends as Expired, and is re-consented through the same link keeping the connection id; deleting
/// the connection deletes it at TrueLayer. Each test signs in as its own user, so data and controls never collide.
/// </summary>
public abstract class TrueLayerEndToEndTests(TrueLayerApp app) : IAsyncLifetime
{
    private readonly HttpClient _api = app.Alpha();
    private readonly string _user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Link_ReadsTwelveMonths_InCodatsShape_ConsentExpires_ReconsentKeepsTheConnection_DeleteRevokes()
    {
        await _api.PostJsonAsync("/webhooks", new
        {
            url = _receiver.Url(),
            eventTypes = new[] { "connection.consent.expiring", "connection.disconnected", "connection.reconnected" },
            companyTags = new[] { $"user:{_user}" },
        }).ExpectAsync(HttpStatusCode.Created);
        var linked = await app.LinkTrueLayerAsync(_user, tags: new { user = _user });
        var (companyId, connectionId) = linked;
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, TrueLayerApp.DataTypes));
        var data = $"/companies/{companyId}/connections/{connectionId}/data";

        // Accounts: the current and savings accounts and the credit card (the cards scope was granted), with live balances.
        var accounts = (await _api.GetAsync($"{data}/banking-accounts").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray();
        Assert.Equal(3, accounts.Count);
        Assert.All(accounts, a => Assert.Empty(TrueLayerApp.ValidateBanking(a, "Account")));
        Assert.All(accounts, a => Assert.Equal(("mock", "Mock Bank"), (a!["institution"]!["id"]!.GetValue<string>(), a["institution"]!["name"]!.GetValue<string>())));
        var card = Assert.Single(accounts, a => a!["type"]!.GetValue<string>() == "Credit")!;
        Assert.Equal("Card", card["identifiers"]!["type"]!.GetValue<string>());
        var current = Assert.Single(accounts, a => a!["identifiers"]!["subtype"]?.GetValue<string>() == "TRANSACTION")!;
        Assert.Equal(-1000m, current["balance"]!["limit"]!.GetValue<decimal>());
        Assert.Equal("30-96-34", current["identifiers"]!["bankCode"]!.GetValue<string>());

        var balances = (await _api.GetAsync($"{data}/banking-accountBalances").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray();
        Assert.Equal(3, balances.Count);
        Assert.All(balances, b => Assert.Empty(TrueLayerApp.ValidateBanking(b, "AccountBalance")));

        // Every settled transaction of the year and every pending one, in Codat's shape.
        var bank = await app.BankAsync(_user);
        var sources = bank["accounts"]!.AsArray().Concat(bank["cards"]!.AsArray()).ToList();
        var expected = sources.Sum(s => s!["transactions"]!.GetValue<int>() + s["pending"]!.GetValue<int>());
        var transactions = (await _api.GetAsync($"{data}/banking-transactions?pageSize=1000&orderBy=authorizedDate").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray();
        Assert.Equal(expected, transactions.Count);
        Assert.All(transactions, t => Assert.Empty(TrueLayerApp.ValidateBanking(t, "Transaction")));
        var oldest = transactions[0]!["authorizedDate"]!.GetValue<DateTime>().ToUniversalTime();
        Assert.True(oldest < app.Time.GetUtcNow().UtcDateTime.AddDays(-360), $"The oldest transaction read is from {oldest:O}.");
        Assert.Equal(3, transactions.Count(t => t!["postedDate"] is null));
        Assert.Contains(transactions, t => t!["code"]!.GetValue<string>() == "DirectDebit" && t["merchantName"]!.GetValue<string>() == "British Gas");

        // The 90-day consent TrueLayer's /me gives is the connection's.
        var consents = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}/consents").ExpectAsync(HttpStatusCode.OK);
        var expiresAt = consents["consentExpiresAt"]!.GetValue<DateTime>().ToUniversalTime();
        var atTrueLayer = (await app.StatsAsync(_user))["credentials"]![0]!["consentExpiresAt"]!.GetValue<DateTime>().ToUniversalTime();
        Assert.Equal(atTrueLayer, expiresAt, TimeSpan.FromMilliseconds(1));
        Assert.InRange(expiresAt - app.Time.GetUtcNow().UtcDateTime, TimeSpan.FromDays(89), TimeSpan.FromDays(91));

        // Six days before the end: the warning. A day after it: Deauthorized, the consents Expired, the app told.
        app.Time.Advance(expiresAt - app.Time.GetUtcNow().UtcDateTime - TimeSpan.FromDays(6));
        var warned = await _receiver.WaitForAsync(r => r.Any(e => e.EventType == "connection.consent.expiring"));
        Assert.Equal(connectionId, warned.First(e => e.EventType == "connection.consent.expiring").Json["payload"]!["connection"]!["id"]!.GetValue<string>());
        app.Time.Advance(TimeSpan.FromDays(7));
        await _receiver.WaitForAsync(r => r.Any(e => e.EventType == "connection.disconnected"));
        Assert.Equal("Deauthorized", (await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
        var ledger = (await _api.GetAsync($"/companies/{companyId}/consents").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray();
        Assert.Equal(["Granted", "Expired"], ledger.Select(r => r!["action"]!.GetValue<string>()));

        // The same link re-consents: the same connection, Linked again with a new 90 days, and read again.
        var again = await app.LinkTrueLayerAsync(_user, again: linked);
        Assert.Equal(linked, again);
        await _receiver.WaitForAsync(r => r.Any(e => e.EventType == "connection.reconnected"));
        var renewed = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}/consents").ExpectAsync(HttpStatusCode.OK);
        Assert.True(renewed["consentExpiresAt"]!.GetValue<DateTime>().ToUniversalTime() > app.Time.GetUtcNow().UtcDateTime.AddDays(89));
        var reread = await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, TrueLayerApp.DataTypes)
            && s["banking-transactions"]!["latestSuccessfulSyncId"]?.GetValue<string>() == s["banking-transactions"]!["latestSyncId"]?.GetValue<string>()
            && s["banking-transactions"]!["lastSuccessfulSync"]?.GetValue<DateTime>().ToUniversalTime() > expiresAt);
        Assert.NotNull(reread);

        // Deleting the connection deletes it at TrueLayer (DELETE /api/delete with the access token).
        using var deleted = await _api.DeleteAsync($"/companies/{companyId}/connections/{connectionId}");
        Assert.True(deleted.IsSuccessStatusCode, $"{(int)deleted.StatusCode}");
        var stats = await app.StatsAsync(_user);
        Assert.Equal(1, stats["deletes"]!.GetValue<int>());
        Assert.All(stats["credentials"]!.AsArray(), c => Assert.True(c!["revoked"]!.GetValue<bool>() || c["consentExpiresAt"]!.GetValue<DateTime>() < app.Time.GetUtcNow().UtcDateTime));
    }

    [Fact]
    public async Task SimulatedTrueLayer_IsEnabledAndMarkedSimulated()
    {
        var truelayer = await _api.GetAsync("/integrations/evqv").ExpectAsync(HttpStatusCode.OK);
        Assert.True(truelayer["enabled"]!.GetValue<bool>());
        var settings = await _api.GetAsync("/integrations/evqv/settings").ExpectAsync(HttpStatusCode.OK);
        Assert.True(settings["simulated"]!.GetValue<bool>());
    }
}

public sealed class TrueLayerEndToEndTests_Sqlite(SqliteTrueLayerApp app) : TrueLayerEndToEndTests(app), IClassFixture<SqliteTrueLayerApp>;

public sealed class TrueLayerEndToEndTests_Postgres(PostgresTrueLayerApp app) : TrueLayerEndToEndTests(app), IClassFixture<PostgresTrueLayerApp>;
