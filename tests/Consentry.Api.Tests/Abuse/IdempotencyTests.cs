using System.Net;
using System.Text;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Idempotency;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Abuse;

/// <summary>The host with an <see cref="IdempotencyProbe"/> that can hold requests whose key starts with "hold-".</summary>
public class IdempotencyApp(DatabaseProvider provider) : ConsentryApp(provider)
{
    public IdempotencyProbe Probe { get; } = new();

    protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton(Probe);
}

public sealed class SqliteIdempotencyApp() : IdempotencyApp(DatabaseProvider.Sqlite);

public sealed class PostgresIdempotencyApp() : IdempotencyApp(DatabaseProvider.Postgres);

public abstract class IdempotencyTests(IdempotencyApp app)
{
    private readonly HttpClient _api = app.Alpha();

    [Fact]
    public async Task CreateCompany_SameKeyAndBody_ReplaysFirstResponseAndCreatesOnce()
    {
        var name = "Replay " + Guid.NewGuid().ToString("N")[..8];
        using var first = await PostAsync(_api, "/companies", $$"""{"name":"{{name}}"}""", "replay-1");
        using var second = await PostAsync(_api, "/companies", $$"""{"name":"{{name}}"}""", "replay-1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False(first.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
        Assert.Equal("true", second.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal("application/json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await CountCompaniesAsync(name));
    }

    [Fact]
    public async Task CreateApiKey_Replay_KeepsStatus201AndLocation()
    {
        using var first = await PostAsync(_api, "/apiKeys", """{"name":"idempotent"}""", "apikey-1");
        using var second = await PostAsync(_api, "/apiKeys", """{"name":"idempotent"}""", "apikey-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        await _api.DeleteAsync(first.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task CreateWebhookConsumerAndConnection_SameKey_CreateOnce()
    {
        var webhook = """{"url":"https://hooks.example.com/idem","disabled":true,"eventTypes":["company.created"]}""";
        using var hook1 = await PostAsync(_api, "/webhooks", webhook, "hook-1");
        using var hook2 = await PostAsync(_api, "/webhooks", webhook, "hook-1");
        Assert.True(hook1.IsSuccessStatusCode, await hook1.Content.ReadAsStringAsync());
        Assert.Equal(await hook1.Content.ReadAsStringAsync(), await hook2.Content.ReadAsStringAsync());

        var companyId = await _api.CreateCompanyAsync("Connections " + Guid.NewGuid().ToString("N")[..6]);
        using var c1 = await PostAsync(_api, $"/companies/{companyId}/connections", """{"platformKey":"sbac"}""", "conn-1");
        using var c2 = await PostAsync(_api, $"/companies/{companyId}/connections", """{"platformKey":"sbac"}""", "conn-1");
        Assert.Equal(HttpStatusCode.OK, c1.StatusCode);
        Assert.Equal(await c1.Content.ReadAsStringAsync(), await c2.Content.ReadAsStringAsync());
        var count = await app.WithDbAsync(db => db.Connections.IgnoreQueryFilters().CountAsync(c => c.CompanyId == Guid.Parse(companyId)));
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task CreateCompany_SameKeyOtherBody_Returns422()
    {
        using var first = await PostAsync(_api, "/companies", """{"name":"First body"}""", "mismatch-1");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        await PostAsync(_api, "/companies", """{"name":"Second body"}""", "mismatch-1").ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, "different request");
        // The same key on another create route is another request too.
        await PostAsync(_api, "/webhooks", """{"url":"https://hooks.example.com/x"}""", "mismatch-1").ExpectErrorAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task CreateCompany_SameKeyOtherClient_IsIndependent()
    {
        using var alpha = await PostAsync(_api, "/companies", """{"name":"Per client"}""", "per-client-1");
        using var beta = await PostAsync(app.Beta(), "/companies", """{"name":"Per client"}""", "per-client-1");

        Assert.Equal(HttpStatusCode.OK, beta.StatusCode);
        Assert.False(beta.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
        Assert.NotEqual(await alpha.Content.ReadAsStringAsync(), await beta.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CreateCompany_FailedCreate_KeepsNoKey()
    {
        await PostAsync(_api, "/companies", """{"name":""}""", "failed-1").ExpectErrorAsync(HttpStatusCode.BadRequest);

        using var fixedUp = await PostAsync(_api, "/companies", """{"name":"Fixed up"}""", "failed-1");
        Assert.Equal(HttpStatusCode.OK, fixedUp.StatusCode);
        Assert.False(fixedUp.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
    }

    [Theory]
    [InlineData("caf\u00e9")]
    [InlineData("tab\tkey")]
    public async Task CreateCompany_InvalidKey_Returns400(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/companies") { Content = Json("""{"name":"Bad key"}""") };
        request.Headers.TryAddWithoutValidation(IdempotencyMiddleware.Header, key);
        await _api.SendAsync(request).ExpectErrorAsync(HttpStatusCode.BadRequest, IdempotencyMiddleware.Header);
    }

    [Fact]
    public async Task CreateCompany_OverlongKey_Returns400()
    {
        await PostAsync(_api, "/companies", """{"name":"Long key"}""", new string('k', 256))
            .ExpectErrorAsync(HttpStatusCode.BadRequest, IdempotencyMiddleware.Header);
    }

    [Fact]
    public async Task CreateCompany_DuplicateWhileFirstInFlight_Returns409ThenReplays()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Probe.AfterReserved = async context =>
        {
            if (context.Request.Headers[IdempotencyMiddleware.Header] == "hold-409")
            {
                entered.TrySetResult();
                await release.Task;
            }
        };
        try
        {
            var body = """{"name":"Held in flight"}""";
            var first = PostAsync(_api, "/companies", body, "hold-409");
            await entered.Task.WaitAsync(TimeSpan.FromSeconds(60));

            await PostAsync(_api, "/companies", body, "hold-409").ExpectErrorAsync(HttpStatusCode.Conflict, "still being processed");
            await PostAsync(_api, "/companies", """{"name":"Other"}""", "hold-409").ExpectErrorAsync(HttpStatusCode.UnprocessableEntity);

            release.SetResult();
            using var firstResponse = await first;
            Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
            using var replay = await PostAsync(_api, "/companies", body, "hold-409");
            Assert.Equal("true", replay.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
            Assert.Equal(await firstResponse.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        }
        finally
        {
            release.TrySetResult();
            app.Probe.AfterReserved = null;
        }
    }

    [Fact]
    public async Task CreateCompany_HolderOutlivesItsLease_RetryTakesOverAndOnlyOneCreates()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Probe.AfterReserved = async context =>
        {
            if (context.Request.Headers[IdempotencyMiddleware.Header] == "hold-lease" && entered.TrySetResult())
            {
                await release.Task;
            }
        };
        try
        {
            var name = "Lease " + Guid.NewGuid().ToString("N")[..8];
            var body = $$"""{"name":"{{name}}"}""";
            var stale = PostAsync(_api, "/companies", body, "hold-lease");
            await entered.Task.WaitAsync(TimeSpan.FromSeconds(60));
            app.Time.Advance(TimeSpan.FromMinutes(5)); // past the 120 s lease: the holder is presumed dead

            using var retry = await PostAsync(_api, "/companies", body, "hold-lease");
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);

            release.SetResult();
            await stale.ExpectErrorAsync(HttpStatusCode.Conflict, "undone");
            Assert.Equal(1, await CountCompaniesAsync(name));
        }
        finally
        {
            release.TrySetResult();
            app.Probe.AfterReserved = null;
        }
    }

    [Fact]
    public async Task Cleanup_DeletesExpiredKeys_AndTheKeyIsFreeAgain()
    {
        using var first = await PostAsync(_api, "/companies", """{"name":"Expiring"}""", "expire-1");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        // The jump fires the cleanup worker's own timer too, so either it or this call deletes the key.
        app.Time.Advance(TimeSpan.FromHours(25));
        await app.Service<IdempotencyCleanup>().DeleteExpiredAsync(CancellationToken.None);
        Assert.False(await app.WithDbAsync(db => db.IdempotencyRecords.IgnoreQueryFilters().AnyAsync(r => r.Key == "expire-1")));

        using var reused = await PostAsync(_api, "/companies", """{"name":"Another body"}""", "expire-1");
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        Assert.False(reused.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
    }

    [Fact]
    public async Task CreateCompany_WithoutKey_IsNotRemembered()
    {
        var name = "No key " + Guid.NewGuid().ToString("N")[..8];
        await _api.CreateCompanyAsync(name);
        await _api.CreateCompanyAsync(name);
        Assert.Equal(2, await CountCompaniesAsync(name));
    }

    private Task<int> CountCompaniesAsync(string name) =>
        app.WithDbAsync(db => db.Companies.IgnoreQueryFilters().CountAsync(c => c.Name == name));

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string json, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Json(json) };
        request.Headers.Add(IdempotencyMiddleware.Header, key);
        return client.SendAsync(request);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

public sealed class IdempotencyTests_Sqlite(SqliteIdempotencyApp app) : IdempotencyTests(app), IClassFixture<SqliteIdempotencyApp>;

public sealed class IdempotencyTests_Postgres(PostgresIdempotencyApp app) : IdempotencyTests(app), IClassFixture<PostgresIdempotencyApp>;
