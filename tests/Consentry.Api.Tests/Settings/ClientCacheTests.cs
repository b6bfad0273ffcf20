using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Settings;

/// <summary>
/// The client cache (<c>IClientCache</c>: the client row and its enabled webhook consumers) changes no answer: two
/// instances on one database (cluster mode) both hold the entries before each change; the instance that made the
/// change sees it at once, the other within <c>Consentry:ClientCacheSeconds</c> (1 s here, 10 s by default).
/// </summary>
public abstract class ClientCacheTests(DatabaseProvider provider) : IAsyncLifetime
{
    private readonly List<ShortCacheApp> _apps = []; // both instances, disposed by DisposeAsync

    private ShortCacheApp First => _apps[0];

    private ShortCacheApp Second => _apps[1];

    public async Task InitializeAsync()
    {
        var connectionString = provider == DatabaseProvider.Postgres
            ? await PostgresServer.CreateDatabaseAsync()
            : $"Data Source={Path.Combine(Path.GetTempPath(), $"consentry-clientcache-{Guid.NewGuid():N}.db")}";
        for (var i = 0; i < 2; i++)
        {
            var app = new ShortCacheApp(provider, connectionString);
            _apps.Add(app);
            await app.InitializeAsync();
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    [Fact]
    public async Task ProfileChange_IsSeenAtOnceHere_AndWithinTheCacheLifetimeThere()
    {
        var before = await First.Alpha().GetAsync("/profile").ExpectAsync(HttpStatusCode.OK); // cached on both now
        await Second.Alpha().GetAsync("/profile").ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual("Renamed Co", before["name"]!.GetValue<string>());

        var profile = new { name = "Renamed Co", redirectUrl = "https://app.example/done", whiteListUrls = new[] { "https://app.example" } };
        await First.Alpha().PutJsonAsync("/profile", profile).ExpectAsync(HttpStatusCode.OK);

        var here = await First.Alpha().GetAsync("/profile").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Renamed Co", here["name"]!.GetValue<string>());
        Assert.Equal("https://app.example/done", here["redirectUrl"]!.GetValue<string>());
        var there = await Eventually.ReachAsync(() => Second.Alpha().GetAsync("/profile").ExpectAsync(HttpStatusCode.OK),
            p => p["name"]!.GetValue<string>() == "Renamed Co");
        Assert.Equal("https://app.example/done", there["redirectUrl"]!.GetValue<string>());
        var other = await First.Beta().GetAsync("/profile").ExpectAsync(HttpStatusCode.OK); // per client
        Assert.Equal("Beta", other["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task CorsAndSyncSettingsChanges_AreSeenAtOnceHere_AndWithinTheCacheLifetimeThere()
    {
        await First.Alpha().GetAsync("/corsSettings").ExpectAsync(HttpStatusCode.OK);
        await Second.Alpha().GetAsync("/corsSettings").ExpectAsync(HttpStatusCode.OK);
        await Second.Alpha().GetAsync("/profile/syncSettings").ExpectAsync(HttpStatusCode.OK);

        await First.Alpha().PostJsonAsync("/corsSettings", new { allowedOrigins = new[] { "https://app.example" } }).ExpectAsync(HttpStatusCode.OK);
        await First.Alpha().PostJsonAsync("/profile/syncSettings", new
        {
            overridesDefaults = true,
            settings = new[] { new { dataType = "invoices", fetchOnFirstLink = true, syncSchedule = 24, syncOrder = 0, isLocked = false } },
        }).ExpectAsync(HttpStatusCode.NoContent);

        var origins = await First.Alpha().GetAsync("/corsSettings").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("https://app.example", origins["allowedOrigins"]![0]!.GetValue<string>());
        var sync = await First.Alpha().GetAsync("/profile/syncSettings").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("invoices", Assert.Single(sync["settings"]!.AsArray())!["dataType"]!.GetValue<string>());
        await Eventually.ReachAsync(() => Second.Alpha().GetAsync("/corsSettings").ExpectAsync(HttpStatusCode.OK),
            o => o["allowedOrigins"]!.AsArray().Count == 1);
        await Eventually.ReachAsync(() => Second.Alpha().GetAsync("/profile/syncSettings").ExpectAsync(HttpStatusCode.OK),
            s => s["settings"]!.AsArray().Count == 1);
    }

    [Fact]
    public async Task NewWebhookConsumer_GetsEventsAtOnceHere_AndWithinTheCacheLifetimeThere()
    {
        await First.Alpha().CreateCompanyAsync("Before here"); // both instances now hold "no consumers"
        await Second.Alpha().CreateCompanyAsync("Before there");

        var consumer = await First.Alpha().PostJsonAsync("/webhooks", new { url = "http://127.0.0.1:9/hooks", eventTypes = new[] { "company.created" } })
            .ExpectAsync(HttpStatusCode.Created);
        var consumerId = Guid.Parse(consumer["id"]!.GetValue<string>());

        var here = Guid.Parse(await First.Alpha().CreateCompanyAsync("Made here"));
        Assert.True(await DeliveredAsync(consumerId, here));
        await Eventually.ReachAsync(async () => await DeliveredAsync(consumerId, Guid.Parse(await Second.Alpha().CreateCompanyAsync("Made there"))), d => d);
    }

    [Fact]
    public async Task DeletedWebhookConsumer_NeverGetsAnotherEvent_OnEitherInstance()
    {
        var consumer = await First.Alpha().PostJsonAsync("/webhooks", new { url = "http://127.0.0.1:9/hooks", eventTypes = new[] { "company.created" } })
            .ExpectAsync(HttpStatusCode.Created);
        var consumerId = Guid.Parse(consumer["id"]!.GetValue<string>());
        await Eventually.ReachAsync(async () => await DeliveredAsync(consumerId, Guid.Parse(await Second.Alpha().CreateCompanyAsync("Cached there"))), d => d);

        await First.Alpha().DeleteAsync($"/webhooks/{consumerId}").ExpectAsync(HttpStatusCode.NoContent);

        // The other instance may still hold the consumer: the save must neither fail nor point a delivery at it.
        var there = Guid.Parse(await Second.Alpha().CreateCompanyAsync("After there"));
        var here = Guid.Parse(await First.Alpha().CreateCompanyAsync("After here"));
        Assert.False(await EventStoredAsync(there));
        Assert.False(await EventStoredAsync(here));
    }

    private Task<bool> DeliveredAsync(Guid consumerId, Guid companyId) =>
        First.WithDbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters()
            .AnyAsync(d => d.ConsumerId == consumerId && db.WebhookEvents.IgnoreQueryFilters().Any(e => e.Id == d.EventId && e.CompanyId == companyId)));

    private Task<bool> EventStoredAsync(Guid companyId) =>
        First.WithDbAsync(db => db.WebhookEvents.IgnoreQueryFilters().AnyAsync(e => e.CompanyId == companyId));

    private sealed class ShortCacheApp(DatabaseProvider provider, string connectionString) : ConsentryApp(provider, connectionString)
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Consentry:ClientCacheSeconds"] = "1",
            ["Consentry:Webhooks:AllowPrivateNetworks"] = "true",
            // Deliveries stay pending: these tests look at which deliveries are written, and a delete racing an attempt
            // in flight is the delivery worker's business, not the cache's.
            ["Consentry:Webhooks:RunWorker"] = "false",
        };
    }
}

public sealed class ClientCacheTests_Sqlite() : ClientCacheTests(DatabaseProvider.Sqlite);

public sealed class ClientCacheTests_Postgres() : ClientCacheTests(DatabaseProvider.Postgres);
