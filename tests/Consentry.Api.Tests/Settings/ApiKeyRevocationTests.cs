using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;

namespace Consentry.Api.Tests.Settings;

/// <summary>
/// Two instances on one database (cluster mode). A revoked key stops at once on the instance that revoked it and,
/// on an instance that still has it cached, within <c>Consentry:ApiKeyCacheSeconds</c> (the documented bound).
/// </summary>
public abstract class ApiKeyRevocationTests(DatabaseProvider provider) : IAsyncLifetime
{
    private readonly List<ShortCacheApp> _apps = []; // both instances, disposed by DisposeAsync

    private ShortCacheApp First => _apps[0];

    private ShortCacheApp Second => _apps[1];

    public async Task InitializeAsync()
    {
        var connectionString = provider == DatabaseProvider.Postgres
            ? await PostgresServer.CreateDatabaseAsync()
            : $"Data Source={Path.Combine(Path.GetTempPath(), $"consentry-revoke-{Guid.NewGuid():N}.db")}";
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
    public async Task RevokedKey_StopsAtOnceHere_AndWithinTheCacheLifetimeOnTheOtherInstance()
    {
        var created = await First.Alpha().PostJsonAsync("/apiKeys", new { name = "revoked" }).ExpectAsync(HttpStatusCode.Created);
        var key = created["apiKey"]!.GetValue<string>();
        var here = First.ClientFor(key);
        var there = Second.ClientFor(key);
        await here.GetAsync("/companies").ExpectAsync(HttpStatusCode.OK);  // cached on both instances now
        await there.GetAsync("/companies").ExpectAsync(HttpStatusCode.OK);

        await First.Alpha().DeleteAsync($"/apiKeys/{created["id"]}").ExpectAsync(HttpStatusCode.NoContent);

        await here.GetAsync("/companies").ExpectErrorAsync(HttpStatusCode.Unauthorized);
        // The other instance learns it when its cache entry ends (1 s here, 10 s by default): bounded, not instant.
        await Eventually.ReachAsync(async () => (await there.GetAsync("/companies")).StatusCode, s => s == HttpStatusCode.Unauthorized, seconds: 60);
        await Second.Alpha().GetAsync("/companies").ExpectAsync(HttpStatusCode.OK); // the client's other key still works
    }

    private sealed class ShortCacheApp(DatabaseProvider provider, string connectionString) : ConsentryApp(provider, connectionString)
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Consentry:ApiKeyCacheSeconds"] = "1",
        };
    }
}

public sealed class ApiKeyRevocationTests_Sqlite() : ApiKeyRevocationTests(DatabaseProvider.Sqlite);

public sealed class ApiKeyRevocationTests_Postgres() : ApiKeyRevocationTests(DatabaseProvider.Postgres);
