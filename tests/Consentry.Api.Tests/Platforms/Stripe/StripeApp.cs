using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Core.Persistence;

namespace Consentry.Api.Tests.Platforms.Stripe;

/// <summary>
/// The host with <c>Consentry:Platforms:UseSimulators=true</c>: Stripe (<c>exgd</c>) is enabled and points at the Stripe
/// simulator this process serves under <c>/simulators/stripe</c>. Small pages, so the small users' data pages.
/// </summary>
public class StripeApp(DatabaseProvider provider) : SyncApp(provider)
{
    public const string ClientId = "ca_consentrySimulatorPlatform";

    /// <summary>The platform's secret key (Stripe's Connect client secret).</summary>
    public const string PlatformKey = "sk_test_consentry_simulator_platform";

    public static readonly string[] DataTypes = ["commerce-companyInfo", "commerce-customers", "commerce-products", "commerce-payments", "commerce-transactions", "commerce-disputes"];

    /// <summary>What Consentry's default sync settings read on first link (transactions and disputes are read when queued).</summary>
    public static readonly string[] FirstLinkTypes = ["commerce-companyInfo", "commerce-customers", "commerce-products", "commerce-payments"];

    /// <summary>Links as <paramref name="username"/>, waits for the first reads, then queues and waits for transactions and disputes.</summary>
    public async Task<(string CompanyId, string ConnectionId)> LinkAndReadAllAsync(string username, object? tags = null)
    {
        var linked = await LinkStripeAsync(username, tags);
        await WaitForDataStatusAsync(linked.CompanyId, s => SyncApp.AllComplete(s, FirstLinkTypes));
        var api = Alpha();
        foreach (var dataType in DataTypes.Except(FirstLinkTypes))
        {
            await api.PostAsync($"/companies/{linked.CompanyId}/data/queue/{dataType}", null).ExpectAsync(HttpStatusCode.OK);
        }

        await WaitForDataStatusAsync(linked.CompanyId, s => SyncApp.AllComplete(s, DataTypes));
        return linked;
    }

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Consentry:Platforms:UseSimulators"] = "true",
        ["Consentry:Sync:PageSize"] = "10",
    };

    public string SimulatorBase => $"{BaseUrl}/simulators/stripe";

    /// <summary>A test user of its own (its own account and data), so tests do not share state.</summary>
    public static string NewUser(string kind = "user_good") => $"{kind}+{Guid.NewGuid():N}"[..(kind.Length + 13)];

    /// <summary>Creates a company and a Stripe connection and walks Link as <paramref name="username"/>: Continue, Stripe's sign-in, Connect.</summary>
    public async Task<(string CompanyId, string ConnectionId)> LinkStripeAsync(string username, object? tags = null)
    {
        var api = Alpha();
        var companyId = await api.CreateCompanyAsync("Stripe Ltd", tags);
        var connection = await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "exgd" }).ExpectAsync(HttpStatusCode.OK);
        using var browser = Browser();
        await browser.GoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);
        await browser.SubmitAsync("handler=Continue");
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = username, ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/allow");
        var connectionId = connection["id"]!.GetValue<string>();
        var linked = await api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.True(linked["status"]!.GetValue<string>() == "Linked", $"Not linked: {linked.ToJsonString()}\n{browser.Location}\n{browser.Html}");
        return (companyId, connectionId);
    }

    /// <summary>The simulator's control API, as the platform.</summary>
    public HttpClient StripeControl()
    {
        var client = new HttpClient { BaseAddress = new Uri(SimulatorBase + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{PlatformKey}")));
        return client;
    }

    /// <summary>A client of the simulator's API v1 with an API key (and, for the platform's key, a <c>Stripe-Account</c>).</summary>
    public HttpClient StripeApi(string key, string? account = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(SimulatorBase + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (account is not null)
        {
            client.DefaultRequestHeaders.Add("Stripe-Account", account);
        }

        return client;
    }

    public async Task<JsonNode> StatsAsync(string username) =>
        await StripeControl().GetAsync($"control/users/{Uri.EscapeDataString(username)}/stats").ExpectAsync(HttpStatusCode.OK);

    public async Task<JsonNode> ControlAsync(string path, object? body = null) =>
        await StripeControl().PostJsonAsync($"control/{path}", body ?? new { }).ExpectAsync(HttpStatusCode.OK);
}

public sealed class SqliteStripeApp() : StripeApp(DatabaseProvider.Sqlite);

public sealed class PostgresStripeApp() : StripeApp(DatabaseProvider.Postgres);
