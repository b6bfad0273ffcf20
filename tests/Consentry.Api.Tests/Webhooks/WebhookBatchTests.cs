using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Consentry.Core.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Webhooks;

/// <summary>
/// The delivery worker claims up to a batch of due deliveries ahead of its sending slots and records finished sends in
/// batches: a failure inside a batch is retried on its own, and the rest of the batch is done.
/// </summary>
public abstract class WebhookBatchTests(WebhookApp app) : IAsyncLifetime
{
    private readonly HttpClient _api = app.Alpha();
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task PartialFailureInABatch_OnlyTheFailedDeliveriesAreRetried_TheRestSucceedOnce()
    {
        // Companies named "... fail" are refused every time; the others accepted.
        _receiver.Respond = r => Task.FromResult(r.Json["payload"]!["name"]!.GetValue<string>().EndsWith(" fail", StringComparison.Ordinal)
            ? Results.StatusCode(500)
            : Results.Ok());
        var consumer = await _api.PostJsonAsync("/webhooks", new { url = _receiver.Url(), eventTypes = new[] { "company.created" }, companyTags = new[] { $"run:{_run}" } })
            .ExpectAsync(HttpStatusCode.Created);
        var consumerId = Guid.Parse(consumer["id"]!.GetValue<string>());

        var names = Enumerable.Range(0, 30).Select(i => i % 3 == 0 ? $"Batch {i} fail" : $"Batch {i} ok").ToList();
        foreach (var name in names)
        {
            await _api.CreateCompanyAsync(name, new { run = _run });
        }

        var deliveries = await Eventually.ReachAsync(
            () => app.WithDbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().Where(d => d.ConsumerId == consumerId).ToListAsync()),
            all => all.Count == names.Count && all.All(d => d.AttemptCount >= 1 && d.LeaseOwner == null));

        var succeeded = deliveries.Where(d => d.Status == DeliveryStatus.Succeeded).ToList();
        var pending = deliveries.Where(d => d.Status == DeliveryStatus.Pending).ToList();
        Assert.Equal(20, succeeded.Count);
        Assert.Equal(10, pending.Count);
        Assert.All(succeeded, d => Assert.Equal(1, d.AttemptCount));
        // The failed ones wait for the schedule's next step (5 s after their attempt, at the earliest), not for the rest of their batch.
        Assert.All(pending, d => Assert.True(d.NextAttemptAt >= d.Created.AddSeconds(5)));
        var ok = _receiver.Received.Where(r => r.Json["payload"]!["name"]!.GetValue<string>().EndsWith(" ok", StringComparison.Ordinal)).ToList();
        Assert.Equal(20, ok.Select(r => r.Headers["webhook-id"]).Distinct().Count());
        Assert.Equal(20, ok.Count);
    }
}

public sealed class WebhookBatchTests_Sqlite(SqliteWebhookApp app) : WebhookBatchTests(app), IClassFixture<SqliteWebhookApp>;

public sealed class WebhookBatchTests_Postgres(PostgresWebhookApp app) : WebhookBatchTests(app), IClassFixture<PostgresWebhookApp>;

/// <summary>
/// Deliveries claimed ahead of the sending slots wait on the instance that claimed them with their leases renewed, so a
/// second instance never takes them while they wait: two instances, two slots each, leases of 4 s, and a receiver slow
/// enough that a claimed batch waits longer than a lease (40 claimed, 2 slots, 250 ms each: the last waits 5 s). The lease
/// is long enough that its renewal (every third of a lease) survives a loaded machine's scheduling delays.
/// </summary>
public sealed class WebhookClaimAheadTests
{
    [Fact]
    public async Task ClaimedAheadOfTheSlots_LongerThanALease_NoneSentTwice_NoneLost()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = async _ =>
        {
            await Task.Delay(250);
            return Results.Ok();
        };
        var database = await PostgresServer.CreateDatabaseAsync();
        await using var one = new SlowSlotsApp(database);
        await using var two = new SlowSlotsApp(database);
        await one.InitializeAsync();
        await two.InitializeAsync();
        await one.Alpha().PostJsonAsync("/webhooks", new { url = receiver.Url(), eventTypes = new[] { "company.created" } }).ExpectAsync(HttpStatusCode.Created);

        var apps = new[] { one, two };
        await Parallel.ForEachAsync(Enumerable.Range(0, 160), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            using var response = await apps[i % 2].Alpha().PostJsonAsync("/companies", new { name = $"Ahead {i}" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });

        await Eventually.ReachAsync(
            () => one.WithDbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().CountAsync(d => d.Status == DeliveryStatus.Succeeded)),
            done => done == 160, seconds: 120);
        var received = receiver.Received.ToList();
        Assert.Equal(160, received.Select(r => r.Headers["webhook-id"]).Distinct().Count());
        Assert.Equal(160, received.Count);
        var attempts = await one.WithDbAsync(db => db.WebhookAttempts.IgnoreQueryFilters().CountAsync());
        Assert.Equal(160, attempts);
    }

    private sealed class SlowSlotsApp(string connectionString) : ConsentryApp(DatabaseProvider.Postgres, connectionString)
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Consentry:Webhooks:PollMilliseconds"] = "50",
            ["Consentry:Webhooks:AllowPrivateNetworks"] = "true",
            ["Consentry:Webhooks:BatchSize"] = "40",
            ["Consentry:Webhooks:MaxConcurrency"] = "2",
            ["Consentry:Webhooks:LeaseSeconds"] = "4",
        };
    }
}
