using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Core.Sync;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Platforms.Stripe;

/// <summary>
/// Stripe's failure modes against the simulator: 429s (<c>rate_limit</c>, <c>lock_timeout</c>, no Retry-After) are waited
/// out and the read completes; an account that deauthorized the platform (403 <c>account_invalid</c>) makes the
/// connection Deauthorized and sends <c>connection.disconnected</c>; a 5xx is retried.
/// </summary>
public sealed class StripeFailureTests(SqliteStripeApp app) : IClassFixture<SqliteStripeApp>, IAsyncLifetime
{
    private readonly HttpClient _api = app.Alpha();
    private readonly string _user = StripeApp.NewUser();
    private WebhookReceiver _receiver = null!;

    private string User => Uri.EscapeDataString(_user);

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task RateLimited_IsWaitedOut_AndTheReadCompletes()
    {
        var (companyId, connectionId) = await LinkAndReadAsync();
        await app.ControlAsync($"users/{User}/failures", new { status = 429, count = 1, code = "rate_limit" });
        await app.ControlAsync($"users/{User}/failures", new { status = 429, count = 1, code = "lock_timeout" });

        var queued = await _api.PostAsync($"/companies/{companyId}/data/queue/commerce-customers", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["commerce-customers"]!["latestSuccessfulSyncId"]?.GetValue<string>() == queued["id"]!.GetValue<string>());

        var dataset = await DatasetAsync(queued["id"]!.GetValue<string>());
        Assert.Equal(DatasetStatus.Complete, dataset.Status);
        // Both refusals were answered by waiting (never by failing the read); then every customer was read again.
        Assert.InRange(dataset.RateLimitWaits, 2, new Consentry.Features.Sync.SyncOptions().MaxRateLimitWaits);
        var customers = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}/data/commerce-customers?pageSize=1").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((await app.StatsAsync(_user))["counts"]!["customers"]!.GetValue<int>(), customers["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task ServerError_IsRetried_AndTheReadCompletes()
    {
        var (companyId, _) = await LinkAndReadAsync();
        await app.ControlAsync($"users/{User}/failures", new { status = 500, count = 1 });

        var queued = await _api.PostAsync($"/companies/{companyId}/data/queue/commerce-payments", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["commerce-payments"]!["latestSuccessfulSyncId"]?.GetValue<string>() == queued["id"]!.GetValue<string>());
        Assert.Equal(DatasetStatus.Complete, (await DatasetAsync(queued["id"]!.GetValue<string>())).Status);
    }

    [Fact]
    public async Task DeauthorizedAccount_MakesTheConnectionDeauthorized_AndSendsDisconnected()
    {
        var (companyId, connectionId) = await LinkAndReadAsync(subscribe: true);
        await app.ControlAsync($"users/{User}/deauthorize");

        await _api.PostAsync($"/companies/{companyId}/data/queue/commerce-customers", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["commerce-customers"]!["currentStatus"]!.GetValue<string>() == "AuthError");
        var connection = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Deauthorized", connection["status"]!.GetValue<string>());
        var disconnected = (await _receiver.WaitForAsync(r => r.Count >= 1))[0];
        Assert.Equal("connection.disconnected", disconnected.EventType);
        Assert.Equal(connectionId, disconnected.Json["payload"]!["connection"]!["id"]!.GetValue<string>());
    }

    private async Task<(string CompanyId, string ConnectionId)> LinkAndReadAsync(bool subscribe = false)
    {
        if (subscribe)
        {
            await _api.PostJsonAsync("/webhooks", new { url = _receiver.Url(), eventTypes = new[] { "connection.disconnected" }, companyTags = new[] { $"user:{_user}" } })
                .ExpectAsync(HttpStatusCode.Created);
        }

        var linked = await app.LinkStripeAsync(_user, tags: new { user = _user });
        await app.WaitForDataStatusAsync(linked.CompanyId, s => SyncApp.AllComplete(s, StripeApp.FirstLinkTypes));
        return linked;
    }

    private Task<Dataset> DatasetAsync(string id) =>
        app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().SingleAsync(d => d.Id == Guid.Parse(id)));
}
