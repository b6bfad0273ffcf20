using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Contract;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Connections;
using Consentry.Core.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Webhooks;

public abstract class WebhookDeliveryTests(WebhookApp app) : IAsyncLifetime
{
    private readonly HttpClient _api = app.Alpha();
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task CompanyCreated_IsDeliveredSigned_InCodatsShape_OnlyForMatchingTags()
    {
        var (_, secret) = await RegisterAsync(["company.created"]);

        var untagged = await _api.CreateCompanyAsync("Untagged Ltd");
        var tagged = await _api.CreateCompanyAsync("Tagged Ltd", new { run = _run });

        var received = Assert.Single(await _receiver.WaitForAsync(r => r.Count >= 1));
        Assert.True(SignatureVerifier.Verify(secret, received.Headers, received.Body, app.Time.GetUtcNow()));
        Assert.True(SignatureVerifier.Verify(secret, received.Headers, received.Body, app.Time.GetUtcNow(), prefix: "svix"));
        Assert.StartsWith("msg_", received.Headers["webhook-id"], StringComparison.Ordinal);
        var body = received.Json;
        Assert.Equal("company.created", body["eventType"]!.GetValue<string>());
        Assert.Equal(tagged, body["payload"]!["id"]!.GetValue<string>());
        Assert.Equal(body["id"]!.GetValue<string>().Replace("-", "", StringComparison.Ordinal), received.Headers["webhook-id"]["msg_".Length..]);
        Assert.Empty(CodatSpec.Validator.Validate(body, "#/components/schemas/CompanyWebhook"));
        Assert.NotEqual(untagged, tagged);
        await Task.Delay(300);
        Assert.Single(_receiver.Received);
    }

    [Fact]
    public async Task ConnectionLifecycle_EmitsCodatEvents_WithTheConnectionPayload()
    {
        await RegisterAsync(["connection.created", "connection.disconnected", "connection.deleted", "company.deleted"]);
        var companyId = await _api.CreateCompanyAsync("Lifecycle Ltd", new { run = _run });
        var connectionId = await _api.CreateConnectionAsync(companyId, "sbbk");
        await app.WithDbAsync(db => db.Connections.IgnoreQueryFilters().Where(c => c.Id == Guid.Parse(connectionId))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConnectionStatus.Linked)));
        await _api.PatchJsonAsync($"/companies/{companyId}/connections/{connectionId}", new { status = "Unlinked" }).ExpectAsync(HttpStatusCode.OK);
        await _api.DeleteAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        await _api.DeleteAsync($"/companies/{companyId}").ExpectAsync(HttpStatusCode.NoContent);

        // Delivery is at least once: on a loaded machine a lease can lapse and a message arrive twice, under the same
        // webhook-id (receivers deduplicate by it), so the four messages are counted by their id.
        static List<ReceivedWebhook> Messages(IEnumerable<ReceivedWebhook> all) => [.. all.DistinctBy(r => r.Headers["webhook-id"])];
        var received = Messages(await _receiver.WaitForAsync(r => Messages(r).Count >= 4));

        Assert.Equal(["company.deleted", "connection.created", "connection.deleted", "connection.disconnected"], received.Select(r => r.EventType).Order());
        foreach (var connectionEvent in received.Where(r => r.EventType.StartsWith("connection.", StringComparison.Ordinal)))
        {
            var payload = connectionEvent.Json["payload"]!;
            Assert.Equal(connectionId, payload["connection"]!["id"]!.GetValue<string>());
            Assert.Equal(companyId, payload["referenceCompany"]!["id"]!.GetValue<string>());
            Assert.Empty(CodatSpec.Validator.Validate(connectionEvent.Json, "#/components/schemas/ConnectionWebhook"));
        }

        Assert.Equal("Unlinked", received.Single(r => r.EventType == "connection.disconnected").Json["payload"]!["connection"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task FailedDelivery_IsRetriedOnTheSchedule_AndEveryAttemptIsListed()
    {
        var failures = 1;
        _receiver.Respond = _ => Task.FromResult(Interlocked.Decrement(ref failures) >= 0 ? Results.StatusCode(500) : Results.Ok());
        var (webhookId, _) = await RegisterAsync(["company.created"]);

        await _api.CreateCompanyAsync("Retry Ltd", new { run = _run });
        await _receiver.WaitForAsync(r => r.Count == 1);
        var delivery = await WaitForDeliveryAsync(webhookId, d => d.AttemptCount == 1);
        var delay = delivery.NextAttemptAt - app.Time.GetUtcNow().UtcDateTime;
        Assert.InRange(delay.TotalSeconds, 3, 5.5);
        await Task.Delay(300);
        Assert.Single(_receiver.Received);

        app.Time.Advance(TimeSpan.FromSeconds(6));
        await _receiver.WaitForAsync(r => r.Count == 2);
        await WaitForDeliveryAsync(webhookId, d => d.Status == DeliveryStatus.Succeeded);

        var attempts = await _api.GetAsync($"/webhooks/{webhookId}/attempts").ExpectAsync(HttpStatusCode.OK);
        var rows = attempts["results"]!.AsArray();
        Assert.Equal([200, 500], rows.Select(a => a!["statusCode"]!.GetValue<int>()));
        Assert.True(rows[0]!["succeeded"]!.GetValue<bool>());
        Assert.Contains("500", rows[1]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, attempts["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task Gone_DisablesTheConsumer_AndStopsDeliveries()
    {
        _receiver.Respond = _ => Task.FromResult(Results.StatusCode(410));
        var (webhookId, _) = await RegisterAsync(["company.created"]);

        await _api.CreateCompanyAsync("Gone Ltd", new { run = _run });
        await WaitForDeliveryAsync(webhookId, d => d.Status == DeliveryStatus.Failed);

        var consumers = await _api.GetAsync("/webhooks").ExpectAsync(HttpStatusCode.OK);
        Assert.True(consumers["results"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == webhookId)!["disabled"]!.GetValue<bool>());
        await _api.CreateCompanyAsync("After Gone Ltd", new { run = _run });
        await Task.Delay(300);
        Assert.Single(_receiver.Received);
    }

    [Fact]
    public async Task TooManyRequests_WaitsAsLongAsRetryAfterSays()
    {
        _receiver.Respond = _ => Task.FromResult<IResult>(new RetryAfterResult(120));
        var (webhookId, _) = await RegisterAsync(["company.created"]);

        await _api.CreateCompanyAsync("Throttled Ltd", new { run = _run });
        var delivery = await WaitForDeliveryAsync(webhookId, d => d.AttemptCount == 1);

        Assert.InRange((delivery.NextAttemptAt - app.Time.GetUtcNow().UtcDateTime).TotalSeconds, 110, 121);
    }

    [Fact]
    public async Task Redirects_AreNotFollowed()
    {
        _receiver.Respond = r => Task.FromResult(r.Path == "/elsewhere" ? Results.Ok() : Results.Redirect(_receiver.Url("/elsewhere")));
        var (webhookId, _) = await RegisterAsync(["company.created"]);

        await _api.CreateCompanyAsync("Redirect Ltd", new { run = _run });
        await WaitForDeliveryAsync(webhookId, d => d.AttemptCount == 1);

        Assert.DoesNotContain(_receiver.Received, r => r.Path == "/elsewhere");
        var attempts = await _api.GetAsync($"/webhooks/{webhookId}/attempts").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("Redirects are not followed", attempts["results"]![0]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowEndpoint_TimesOut_AndCountsAsAFailure()
    {
        _receiver.Respond = async _ =>
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            return Results.Ok();
        };
        var (webhookId, _) = await RegisterAsync(["company.created"]);

        await _api.CreateCompanyAsync("Slow Ltd", new { run = _run });
        await WaitForDeliveryAsync(webhookId, d => d.AttemptCount == 1);

        var attempts = await _api.GetAsync($"/webhooks/{webhookId}/attempts").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("Timed out", attempts["results"]![0]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(attempts["results"]![0]!["succeeded"]!.GetValue<bool>());
    }

    [Fact]
    public async Task RotatedSecret_OldAndNewBothSignFor24Hours_ThenOnlyTheNew()
    {
        var (webhookId, oldSecret) = await RegisterAsync(["company.created"]);
        var rotated = await _api.PostAsync($"/webhooks/{webhookId}/secret/rotate", null).ExpectAsync(HttpStatusCode.OK);
        var newSecret = rotated["key"]!.GetValue<string>();
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(newSecret, (await _api.GetAsync($"/webhooks/{webhookId}/secret").ExpectAsync(HttpStatusCode.OK))["key"]!.GetValue<string>());

        await _api.CreateCompanyAsync("Rotation One", new { run = _run });
        var first = (await _receiver.WaitForAsync(r => r.Count == 1))[0];
        var now = app.Time.GetUtcNow();
        Assert.True(SignatureVerifier.Verify(oldSecret, first.Headers, first.Body, now));
        Assert.True(SignatureVerifier.Verify(newSecret, first.Headers, first.Body, now));

        // The success must be recorded before the clock jumps, or the delivery's lease expires and it is (rightly) sent again.
        await WaitForDeliveryAsync(webhookId, d => d.Status == DeliveryStatus.Succeeded);
        app.Time.Advance(TimeSpan.FromHours(25));
        await _api.CreateCompanyAsync("Rotation Two", new { run = _run });
        var second = (await _receiver.WaitForAsync(r => r.Any(w => w.Body.Contains("Rotation Two", StringComparison.Ordinal))))
            .First(w => w.Body.Contains("Rotation Two", StringComparison.Ordinal));
        now = app.Time.GetUtcNow();
        Assert.False(SignatureVerifier.Verify(oldSecret, second.Headers, second.Body, now));
        Assert.True(SignatureVerifier.Verify(newSecret, second.Headers, second.Body, now));
    }

    [Fact]
    public async Task Recover_ResendsWhatFailed_AndSwitchesTheConsumerBackOn()
    {
        var healthy = false;
        _receiver.Respond = _ => Task.FromResult(Volatile.Read(ref healthy) ? Results.Ok() : Results.StatusCode(503));
        var (webhookId, _) = await RegisterAsync(["company.created"]);
        var since = app.Time.GetUtcNow().UtcDateTime.AddMinutes(-1);

        await _api.CreateCompanyAsync("Recover Ltd", new { run = _run });
        await WaitForDeliveryAsync(webhookId, d => d.AttemptCount == 1);
        app.Time.Advance(TimeSpan.FromSeconds(6));
        await WaitForDeliveryAsync(webhookId, d => d.AttemptCount == 2);
        app.Time.Advance(TimeSpan.FromMinutes(6));
        await WaitForDeliveryAsync(webhookId, d => d.Status == DeliveryStatus.Failed && d.AttemptCount == 3);

        Volatile.Write(ref healthy, true);
        var recovered = await _api.PostJsonAsync($"/webhooks/{webhookId}/recover", new { since }).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(1, recovered["recovered"]!.GetValue<int>());

        await WaitForDeliveryAsync(webhookId, d => d.Status == DeliveryStatus.Succeeded);
        Assert.Equal(4, _receiver.Received.Count);
        await _api.PostJsonAsync($"/webhooks/{webhookId}/recover", new { }).ExpectErrorAsync(HttpStatusCode.BadRequest, "since");
    }

    [Fact]
    public async Task ConsumerFailingForFiveDays_IsDisabled_AndThatIsRecorded()
    {
        _receiver.Respond = _ => Task.FromResult(Results.StatusCode(500));
        var (webhookId, _) = await RegisterAsync(["company.created"]);

        await _api.CreateCompanyAsync("Failing One", new { run = _run });
        await WaitForDeliveryAsync(webhookId, d => d.AttemptCount == 1);
        app.Time.Advance(TimeSpan.FromDays(5) + TimeSpan.FromMinutes(1));
        await _api.CreateCompanyAsync("Failing Two", new { run = _run });

        var consumer = await WaitForAsync(() => app.WithDbAsync(db => db.WebhookConsumers.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == Guid.Parse(webhookId))), c => c.Disabled);
        Assert.Contains("5 days", consumer.DisabledReason, StringComparison.Ordinal);
        Assert.NotNull(consumer.DisabledAt);
    }

    [Fact]
    public async Task DeletedConsumer_GetsNothingMore()
    {
        var (webhookId, _) = await RegisterAsync(["company.created"]);
        await _api.DeleteAsync($"/webhooks/{webhookId}").ExpectAsync(HttpStatusCode.NoContent);

        await _api.CreateCompanyAsync("Nobody Listens", new { run = _run });
        await Task.Delay(300);
        Assert.Empty(_receiver.Received);
        await _api.DeleteAsync($"/webhooks/{webhookId}").ExpectErrorAsync(HttpStatusCode.NotFound);
    }

    private async Task<(string Id, string Secret)> RegisterAsync(string[] eventTypes)
    {
        var consumer = await _api.PostJsonAsync("/webhooks", new { url = _receiver.Url(), eventTypes, companyTags = new[] { $"run:{_run}" } })
            .ExpectAsync(HttpStatusCode.Created);
        var id = consumer["id"]!.GetValue<string>();
        var secret = (await _api.GetAsync($"/webhooks/{id}/secret").ExpectAsync(HttpStatusCode.OK))["key"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        return (id, secret);
    }

    private Task<WebhookDelivery> WaitForDeliveryAsync(string webhookId, Func<WebhookDelivery, bool> condition) =>
        WaitForAsync(() => app.WithDbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.ConsumerId == Guid.Parse(webhookId)).OrderByDescending(d => d.Created).FirstOrDefaultAsync()), d => d is not null && condition(d))!;

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met; last value: {value}");
            }

            await Task.Delay(25);
        }
    }

    private sealed class RetryAfterResult(int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }
    }
}

public sealed class WebhookDeliveryTests_Sqlite(SqliteWebhookApp app) : WebhookDeliveryTests(app), IClassFixture<SqliteWebhookApp>;

public sealed class WebhookDeliveryTests_Postgres(PostgresWebhookApp app) : WebhookDeliveryTests(app), IClassFixture<PostgresWebhookApp>;
