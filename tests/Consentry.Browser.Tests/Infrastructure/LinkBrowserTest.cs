using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Connections;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consentry.Browser.Tests.Infrastructure;

/// <summary>
/// What the browser tests share: the host on real Kestrel, one chromium and the app's site (each one per test class),
/// a fresh browser context per tab, the Alpha client's API, and the steps a customer takes at a sandbox platform.
/// </summary>
public abstract class LinkBrowserTest(LinkApp app, Chromium chromium, AppSite site) : IAsyncLifetime
{
    private readonly List<LinkTab> _tabs = [];

    protected LinkApp App { get; } = app;

    protected HttpClient Api { get; } = app.Alpha();

    /// <summary>The origin of the app the customer returns to (on 127.0.0.1, while Consentry is on localhost).</summary>
    protected string AppOrigin => site.Origin;

    protected AppSite Site => site;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var tab in _tabs)
        {
            await tab.DisposeAsync();
        }

        Api.Dispose();
    }

    /// <summary>A page in a new browser context (fresh cookies), disposed after the test.</summary>
    protected async Task<LinkTab> OpenTabAsync(int width = 460, int height = 840, float deviceScaleFactor = 1)
    {
        var tab = await LinkTab.OpenAsync(chromium, App.BaseUrl, width, height, deviceScaleFactor);
        _tabs.Add(tab);
        return tab;
    }

    /// <summary>Sets the Alpha client's redirect template to the app's <paramref name="pathAndQuery"/>; the app's origin is allowed.</summary>
    protected async Task UseRedirectAsync(string pathAndQuery) =>
        await Api.PutJsonAsync("/profile", new { name = "Alpha", redirectUrl = AppOrigin + pathAndQuery, whiteListUrls = new[] { AppOrigin } })
            .ExpectAsync(HttpStatusCode.OK);

    protected async Task<(string CompanyId, string ConnectionId, string LinkPath)> NewConnectionAsync(string platformKey, HttpClient? api = null)
    {
        api ??= Api;
        var companyId = await api.CreateCompanyAsync("Browser Journey Ltd");
        var connection = await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey }).ExpectAsync(HttpStatusCode.OK);
        return (companyId, connection["id"]!.GetValue<string>(), new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);
    }

    /// <summary>On the consent summary: clicks "Continue to {platform}" and waits for the platform's login page.</summary>
    protected static async Task ContinueToPlatformAsync(LinkTab tab, string platformName)
    {
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = $"Continue to {platformName}" }), IsAuthorize);
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = $"Sign in to {platformName}" })).ToBeVisibleAsync();
    }

    /// <summary>On the platform's login page: types the credentials and clicks "Sign in".</summary>
    protected static async Task SignInAsync(LinkTab tab, string username, string password)
    {
        await tab.Page.GetByLabel("Username").FillAsync(username);
        await tab.Page.GetByLabel("Password").FillAsync(password);
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }), u => u.Contains("/oauth/login", StringComparison.Ordinal));
    }

    /// <summary>On the platform's consent page: clicks "Allow access" and waits until the browser is at <paramref name="destination"/>.</summary>
    protected static async Task AllowAsync(LinkTab tab, Func<string, bool> destination)
    {
        var allow = tab.Page.GetByRole(AriaRole.Button, new() { Name = "Allow access" });
        await Expect(allow).ToBeVisibleAsync();
        await tab.ClickAndWaitAsync(allow, destination);
    }

    protected static bool IsAuthorize(string url) => url.Contains("/oauth/authorize", StringComparison.Ordinal);

    protected bool IsApp(string url) => url.StartsWith(AppOrigin + "/", StringComparison.Ordinal);

    protected Task<ConnectionStatus> StatusAsync(string connectionId) =>
        App.WithDbAsync(db => db.Connections.IgnoreQueryFilters().Where(c => c.Id == Guid.Parse(connectionId)).Select(c => c.Status).SingleAsync());

    /// <summary>The connection's status as the app sees it through the API.</summary>
    protected async Task<string> ApiStatusAsync(string companyId, string connectionId)
    {
        var connection = await Api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        return connection["status"]!.GetValue<string>();
    }
}
