using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Consentry.Core.Webhooks;
using Consentry.Features.Webhooks.Delivery;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Webhooks;

/// <summary>
/// Successful sends are recorded without change tracking (<see cref="SucceededDeliveries"/>): the rows a success
/// writes (delivery Succeeded, its attempt, the consumer healthy again), fenced by the claim token like the tracked path,
/// on a server whose worker is off, so the test alone claims.
/// </summary>
public abstract class SucceededDeliveriesTests(WebhookApp app)
{
    private readonly HttpClient _api = app.Alpha();
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task SucceededSends_RecordDeliveryAttemptAndConsumer_AndAClaimLostMeanwhileIsLeftAlone()
    {
        var consumer = await _api.PostJsonAsync("/webhooks", new { url = "http://127.0.0.1:9/hook", eventTypes = new[] { "company.created" }, companyTags = new[] { $"run:{_run}" } })
            .ExpectAsync(HttpStatusCode.Created);
        var consumerId = Guid.Parse(consumer["id"]!.GetValue<string>());
        for (var i = 0; i < 3; i++)
        {
            await _api.CreateCompanyAsync($"Recorded {i}", new { run = _run });
        }

        var deliveries = await app.WithDbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.ConsumerId == consumerId).OrderBy(d => d.Created).ThenBy(d => d.Id).ToListAsync());
        Assert.Equal(3, deliveries.Count);
        var until = DateTime.UtcNow.AddMinutes(5);
        // Two claimed by "us"; the third claimed by another instance after our lease ran out; the consumer was failing.
        await app.WithDbAsync(async db =>
        {
            foreach (var (delivery, owner) in deliveries.Zip(new[] { "mine#1", "mine#1", "theirs#9" }))
            {
                await db.WebhookDeliveries.IgnoreQueryFilters().Where(d => d.Id == delivery.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseOwner, owner).SetProperty(d => d.LeaseExpiresAt, until));
            }

            return await db.WebhookConsumers.IgnoreQueryFilters().Where(c => c.Id == consumerId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.FailingSince, DateTime.UtcNow.AddHours(-1)));
        });

        var at = new DateTime(2026, 12, 5, 5, 6, 7, DateTimeKind.Utc).AddTicks(1234560);
        var sends = deliveries.Select(d => new SucceededSend(d.Id, "mine#1", d.ClientId, d.ConsumerId, d.EventId, "company.created", at, 204, 12)).ToList();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.Equal(2, await SucceededDeliveries.RecordAsync(db, sends, "test-worker", CancellationToken.None));
            await transaction.CommitAsync();
        }

        var after = await app.WithDbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.ConsumerId == consumerId).ToDictionaryAsync(d => d.Id));
        foreach (var mine in deliveries.Take(2))
        {
            var d = after[mine.Id];
            Assert.Equal((DeliveryStatus.Succeeded, 1, (DateTime?)at, (string?)null, (DateTime?)null), (d.Status, d.AttemptCount, d.CompletedAt, d.LeaseOwner, d.LeaseExpiresAt));
        }

        var theirs = after[deliveries[2].Id];
        Assert.Equal((DeliveryStatus.Pending, 0, "theirs#9", (DateTime?)null), (theirs.Status, theirs.AttemptCount, theirs.LeaseOwner, theirs.CompletedAt));

        var attempts = await app.WithDbAsync(db => db.WebhookAttempts.IgnoreQueryFilters().AsNoTracking().Where(a => a.ConsumerId == consumerId).ToListAsync());
        Assert.Equal(deliveries.Take(2).Select(d => d.Id).Order(), attempts.Select(a => a.DeliveryId).Order());
        Assert.All(attempts, a =>
        {
            var delivery = deliveries.Single(d => d.Id == a.DeliveryId);
            Assert.Equal((delivery.ClientId, delivery.EventId, "company.created", at, (int?)204, 12, (string?)null, true, (string?)"test-worker"),
                (a.ClientId, a.EventId, a.EventType, a.AttemptedAt, a.StatusCode, a.DurationMs, a.Error, a.Succeeded, a.Worker));
        });
        Assert.Null(await app.WithDbAsync(db => db.WebhookConsumers.IgnoreQueryFilters().Where(c => c.Id == consumerId).Select(c => c.FailingSince).SingleAsync()));
        var listed = await _api.GetAsync($"/webhooks/{consumerId}/attempts?page=1&pageSize=10").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, listed["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task SendsNotCommitted_LeaveEverythingAsItWas()
    {
        var consumer = await _api.PostJsonAsync("/webhooks", new { url = "http://127.0.0.1:9/hook", eventTypes = new[] { "company.created" }, companyTags = new[] { $"run:{_run}" } })
            .ExpectAsync(HttpStatusCode.Created);
        var consumerId = Guid.Parse(consumer["id"]!.GetValue<string>());
        await _api.CreateCompanyAsync("Rolled back", new { run = _run });
        var delivery = await app.WithDbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking().SingleAsync(d => d.ConsumerId == consumerId));
        await app.WithDbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().Where(d => d.Id == delivery.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseOwner, "mine#2")));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var send = new SucceededSend(delivery.Id, "mine#2", delivery.ClientId, consumerId, delivery.EventId, "company.created", DateTime.UtcNow, 200, 1);
            Assert.Equal(1, await SucceededDeliveries.RecordAsync(db, [send], "test-worker", CancellationToken.None));
            // Disposed without a commit: the batch failed later in its transaction.
        }

        var unchanged = await app.WithDbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking().SingleAsync(d => d.Id == delivery.Id));
        Assert.Equal((DeliveryStatus.Pending, 0, "mine#2"), (unchanged.Status, unchanged.AttemptCount, unchanged.LeaseOwner));
        Assert.Equal(0, await app.WithDbAsync(db => db.WebhookAttempts.IgnoreQueryFilters().CountAsync(a => a.DeliveryId == delivery.Id)));
    }
}

/// <summary>The webhook test host with its delivery worker off: the test claims and records by hand.</summary>
public class RecordingWebhookApp(DatabaseProvider provider) : WebhookApp(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings =>
        new Dictionary<string, string?>(base.Settings) { ["Consentry:Webhooks:RunWorker"] = "false" };
}

public sealed class SqliteRecordingWebhookApp() : RecordingWebhookApp(DatabaseProvider.Sqlite);

public sealed class PostgresRecordingWebhookApp() : RecordingWebhookApp(DatabaseProvider.Postgres);

public sealed class SucceededDeliveriesTests_Sqlite(SqliteRecordingWebhookApp app) : SucceededDeliveriesTests(app), IClassFixture<SqliteRecordingWebhookApp>;

public sealed class SucceededDeliveriesTests_Postgres(PostgresRecordingWebhookApp app) : SucceededDeliveriesTests(app), IClassFixture<PostgresRecordingWebhookApp>;

/// <summary>
/// One recorded batch holding two consumers, one whose endpoint fails and one whose succeeds: the failing one takes the
/// tracked path (retry scheduled, FailingSince set), the healthy one the set-based path; neither is lost or doubled.
/// </summary>
public abstract class MixedBatchTests(WebhookApp app)
{
    private readonly HttpClient _api = app.Alpha();
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task FailingAndHealthyConsumers_EachRecordedByItsPath()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = r => Task.FromResult(r.Path.EndsWith("/bad", StringComparison.Ordinal) ? Results.StatusCode(500) : Results.Ok());
        var bad = await ConsumerAsync(receiver.Url("/bad"));
        var good = await ConsumerAsync(receiver.Url("/good"));
        for (var i = 0; i < 12; i++)
        {
            await _api.CreateCompanyAsync($"Mixed {i}", new { run = _run });
        }

        var deliveries = await Eventually.ReachAsync(
            () => app.WithDbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking().Where(d => d.ConsumerId == bad || d.ConsumerId == good).ToListAsync()),
            all => all.Count == 24 && all.All(d => d.AttemptCount >= 1 && d.LeaseOwner == null));

        Assert.All(deliveries.Where(d => d.ConsumerId == good), d => Assert.Equal((DeliveryStatus.Succeeded, 1), (d.Status, d.AttemptCount)));
        Assert.All(deliveries.Where(d => d.ConsumerId == bad), d => Assert.Equal(DeliveryStatus.Pending, d.Status));
        var failingSince = await app.WithDbAsync(db => db.WebhookConsumers.IgnoreQueryFilters().Where(c => c.Id == bad || c.Id == good)
            .ToDictionaryAsync(c => c.Id, c => c.FailingSince));
        Assert.NotNull(failingSince[bad]);
        Assert.Null(failingSince[good]);
        var goodAttempts = await app.WithDbAsync(db => db.WebhookAttempts.IgnoreQueryFilters().Where(a => a.ConsumerId == good).ToListAsync());
        Assert.Equal(12, goodAttempts.Count);
        Assert.All(goodAttempts, a => Assert.True(a.Succeeded));
        Assert.Equal(12, receiver.Received.Where(r => r.Path.EndsWith("/good", StringComparison.Ordinal)).Select(r => r.Headers["webhook-id"]).Distinct().Count());
    }

    private async Task<Guid> ConsumerAsync(string url)
    {
        var consumer = await _api.PostJsonAsync("/webhooks", new { url, eventTypes = new[] { "company.created" }, companyTags = new[] { $"run:{_run}" } })
            .ExpectAsync(HttpStatusCode.Created);
        return Guid.Parse(consumer["id"]!.GetValue<string>());
    }
}

public sealed class MixedBatchTests_Sqlite(SqliteWebhookApp app) : MixedBatchTests(app), IClassFixture<SqliteWebhookApp>;

public sealed class MixedBatchTests_Postgres(PostgresWebhookApp app) : MixedBatchTests(app), IClassFixture<PostgresWebhookApp>;
