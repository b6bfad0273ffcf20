using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Connectors;
using Consentry.Connectors.Generic;
using Consentry.Core.Persistence;
using Microsoft.AspNetCore.WebUtilities;

namespace Consentry.Api.Tests.Platforms;

/// <summary>
/// The operator points a real platform at its hosts and gives every client its app registration
/// (<c>Consentry:Platforms:{key}</c>): production's configuration, here with made-up vendor hosts (nothing is called).
/// </summary>
public sealed class OperatorConfiguredApp() : LinkApp(DatabaseProvider.Sqlite)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Consentry:Platforms:gbol:AuthorizeUrl"] = "https://login.vendor.example/identity/connect/authorize",
        ["Consentry:Platforms:gbol:TokenUrl"] = "https://identity.vendor.example/connect/token",
        ["Consentry:Platforms:gbol:Scopes"] = "offline_access accounting.invoices.read",
        ["Consentry:Platforms:gbol:ClientId"] = "operator-client",
        ["Consentry:Platforms:gbol:ClientSecret"] = "operator-secret-0123456789",
    };
}

public sealed class PlatformConfigurationTests(OperatorConfiguredApp app) : IClassFixture<OperatorConfiguredApp>
{
    [Fact]
    public async Task Integrations_OperatorCredentials_EnableThePlatformForEveryClient()
    {
        foreach (var client in new[] { app.Alpha(), app.Beta() })
        {
            var xero = await client.GetAsync("/integrations/gbol").ExpectAsync(HttpStatusCode.OK);
            Assert.True(xero["enabled"]!.GetValue<bool>());
            var settings = await client.GetAsync("/integrations/gbol/settings").ExpectAsync(HttpStatusCode.OK);
            Assert.True(settings["operatorCredentials"]!.GetValue<bool>());
            Assert.False(settings["simulated"]!.GetValue<bool>());
        }

        // Without any configuration, QuickBooks still needs credentials.
        Assert.False((await app.Alpha().GetAsync("/integrations/qhyg").ExpectAsync(HttpStatusCode.OK))["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Link_ConfiguredHosts_SendTheCustomerToTheOperatorsAuthorizeUrlWithItsScopes()
    {
        var api = app.Alpha();
        var companyId = await api.CreateCompanyAsync("Configured Hosts Ltd");
        var connection = await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "gbol" }).ExpectAsync(HttpStatusCode.OK);
        using var browser = app.Browser();
        await browser.GoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);
        await browser.SubmitAsync("handler=Continue");

        var authorize = browser.Visited.Last();
        Assert.Equal("login.vendor.example", authorize.Host);
        var query = QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("operator-client", query["client_id"].ToString());
        Assert.Equal("offline_access accounting.invoices.read", query["scope"].ToString());
        Assert.Equal($"{app.BaseUrl}/link/oauth/callback/gbol", query["redirect_uri"].ToString());
        Assert.Equal("S256", query["code_challenge_method"].ToString());
    }

    [Fact]
    public async Task Settings_ClientScopes_ReplaceTheOperatorsAndBadScopesAre400()
    {
        var api = app.Beta();
        await api.PutJsonAsync("/integrations/gbol/settings", new { scopes = new[] { "offline_access", "accounting.contacts.read" } }).ExpectAsync(HttpStatusCode.OK);
        var settings = await api.GetAsync("/integrations/gbol/settings").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["offline_access", "accounting.contacts.read"], settings["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));

        await api.PutJsonAsync("/integrations/gbol/settings", new { scopes = new[] { "two words" } }).ExpectErrorAsync(HttpStatusCode.BadRequest, "scopes");
        await api.PutJsonAsync("/integrations/sbac/settings", new { scopes = new[] { "x" } }).ExpectErrorAsync(HttpStatusCode.BadRequest, "scopes");

        var companyId = await api.CreateCompanyAsync("Client Scopes Ltd");
        var connection = await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "gbol" }).ExpectAsync(HttpStatusCode.OK);
        using var browser = app.Browser();
        await browser.GoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);
        await browser.SubmitAsync("handler=Continue");
        Assert.Equal("offline_access accounting.contacts.read", QueryHelpers.ParseQuery(browser.Visited.Last().Query)["scope"].ToString());
        await api.PutJsonAsync("/integrations/gbol/settings", new { scopes = Array.Empty<string>() }).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public void Registry_TwoConnectorsClaimingOneKey_FailsAtStart()
    {
        var generic = app.Service<CatalogueConnector>();
        var error = Assert.Throws<InvalidOperationException>(() => new PlatformConnectors([new Claims("gbol"), new Claims("gbol")], generic));
        Assert.Contains("gbol", error.Message, StringComparison.Ordinal);
        Assert.Same(generic, new PlatformConnectors([new Claims("gbol")], generic).For("sbac"));
    }

    /// <summary>A connector that only claims a key: the registry looks at nothing else.</summary>
    private sealed class Claims(string key) : IPlatformConnector
    {
        public IReadOnlyCollection<string> PlatformKeys => [key];

        public Task<AccountDiscovery> DiscoverAccountsAsync(Connectors.OAuth2.PlatformEndpoint platform, Connectors.OAuth2.TokenSet tokens,
            IReadOnlyDictionary<string, string> callback, CancellationToken ct) => throw new NotSupportedException();

        public Task<bool> RevokeAsync(Connectors.OAuth2.PlatformEndpoint platform, PlatformGrant grant, CancellationToken ct) => throw new NotSupportedException();

        public IReadOnlyCollection<string> Readable(Core.Integrations.IntegrationDefinition integration) => [];

        public Task<DataPage> ReadAsync(DataRequest request, CancellationToken ct) => throw new NotSupportedException();
    }
}
