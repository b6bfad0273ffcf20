using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Browser.Tests.Infrastructure;
using Consentry.Core.Connections;
using Consentry.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consentry.Browser.Tests.Link;

/// <summary>
/// Each sandbox credential outcome through the real pages in Debian's chromium: the consent summary, the platform's
/// login and consent pages (typed into and clicked), the callback and the way back to the app; then the redirect
/// allow-list and the secrecy of the tokens as the browser saw the journey.
/// </summary>
public abstract class SandboxOutcomeBrowserTests(LinkApp app, Chromium chromium, AppSite site) : LinkBrowserTest(app, chromium, site)
{
    private const string Template = "/done/{companyId}?conn={connectionId}&status={statusCode}&error={errorMessage}&platform={platform}&ref={ref}";

    [Fact]
    public async Task GoodCredentials_TypedAtThePlatform_ReturnToTheAppWith200AndLinkTheConnection()
    {
        await UseRedirectAsync(Template);
        var (companyId, connectionId, linkPath) = await NewConnectionAsync("sbac");
        var tab = await OpenTabAsync();

        await tab.GotoAsync(linkPath + "?ref=order%2042");
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Connect Consentry Sandbox Accounting" })).ToBeVisibleAsync();
        await ContinueToPlatformAsync(tab, "Consentry Sandbox Accounting");
        await SignInAsync(tab, "user_good", "pass_good");
        await AllowAsync(tab, IsApp);

        Assert.StartsWith($"{AppOrigin}/done/{companyId}?", tab.Page.Url, StringComparison.Ordinal);
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = AppSite.Heading })).ToBeVisibleAsync();
        Assert.Equal("200", tab.Query("status"));
        Assert.Equal(connectionId, tab.Query("conn"));
        Assert.Equal("sbac", tab.Query("platform"));
        Assert.Equal("order 42", tab.Query("ref"));
        Assert.Contains(Site.Visits, v => v.StartsWith($"/done/{companyId}?", StringComparison.Ordinal));
        Assert.Equal("Linked", await ApiStatusAsync(companyId, connectionId));
    }

    [Fact]
    public async Task BadCredentials_ShowInvalidCredentials_AndARetryWithGoodOnesLinks()
    {
        await UseRedirectAsync(Template);
        var (companyId, connectionId, linkPath) = await NewConnectionAsync("sbbk");
        var tab = await OpenTabAsync();
        await tab.GotoAsync(linkPath);
        await ContinueToPlatformAsync(tab, "Consentry Sandbox Bank");

        await SignInAsync(tab, "user_bad", "whatever");

        await Expect(tab.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Invalid credentials");
        await Expect(tab.Page.GetByLabel("Username")).ToHaveValueAsync("user_bad");
        Assert.Equal(ConnectionStatus.PendingAuth, await StatusAsync(connectionId));

        await SignInAsync(tab, "user_good", "pass_good");
        await AllowAsync(tab, IsApp);

        Assert.Equal("200", tab.Query("status"));
        Assert.Equal("Linked", await ApiStatusAsync(companyId, connectionId));
    }

    [Fact]
    public async Task DenyingUser_SeesTheConsentPage_AndReturnsToTheAppWith403()
    {
        await UseRedirectAsync(Template);
        var (companyId, connectionId, linkPath) = await NewConnectionAsync("sbcm");
        var tab = await OpenTabAsync();
        await tab.GotoAsync(linkPath);
        await ContinueToPlatformAsync(tab, "Consentry Sandbox Commerce");

        await SignInAsync(tab, "user_deny", "pass_good");
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { NameRegex = new("^Allow .* to access your Consentry Sandbox Commerce data\\?$") })).ToBeVisibleAsync();
        await AllowAsync(tab, IsApp);

        Assert.Equal("403", tab.Query("status"));
        Assert.Equal("User cancelled.", tab.Query("error"));
        Assert.Equal("PendingAuth", await ApiStatusAsync(companyId, connectionId));
    }

    [Fact]
    public async Task ErroringUser_TokenExchangeFails_ReturnsToTheAppWith500AndTheConnectionIsNotLinked()
    {
        await UseRedirectAsync(Template);
        var (companyId, connectionId, linkPath) = await NewConnectionAsync("sbac");
        var tab = await OpenTabAsync();
        await tab.GotoAsync(linkPath);
        await ContinueToPlatformAsync(tab, "Consentry Sandbox Accounting");

        await SignInAsync(tab, "user_error", "pass_good");
        await AllowAsync(tab, IsApp);

        Assert.Equal("500", tab.Query("status"));
        Assert.Equal("Unknown error occurred.", tab.Query("error"));
        Assert.NotEqual("Linked", await ApiStatusAsync(companyId, connectionId));
        var connection = await Api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("500", connection["dataConnectionErrors"]![0]!["statusCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task RedirectOutsideTheAllowList_IsNeverNavigatedTo_AndTheNotAllowedPageShows()
    {
        // PUT /profile refuses such a template (SettingsApiTests); one saved before that check is still refused here.
        await App.WithDbAsync(async db =>
        {
            var alpha = await db.Clients.IgnoreQueryFilters().SingleAsync(c => c.Name == "Alpha");
            (alpha.Profile.RedirectUrl, alpha.Profile.WhiteListUrls) = ("https://evil.example/steal?c={companyId}&s={statusCode}", [AppOrigin]);
            return await db.SaveChangesAsync();
        });
        var (companyId, connectionId, linkPath) = await NewConnectionAsync("sbbk");
        var tab = await OpenTabAsync(); // CSP enforced: the refusal page is on Consentry's own origin
        await tab.GotoAsync(linkPath);
        await ContinueToPlatformAsync(tab, "Consentry Sandbox Bank");
        await SignInAsync(tab, "user_good", "pass_good");

        await AllowAsync(tab, u => u.Contains("/link/done", StringComparison.Ordinal));

        await Expect(tab.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not on its list of allowed addresses");
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Connected, but we can't take you back");
        Assert.StartsWith(App.BaseUrl + "/link/done", tab.Page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(tab.Requests, u => new Uri(u).Host == "evil.example");
        Assert.DoesNotContain(tab.Navigations, u => new Uri(u).Host == "evil.example");
        Assert.DoesNotContain(tab.Html, html => html.Contains("evil.example", StringComparison.Ordinal));
        Assert.Equal("Linked", await ApiStatusAsync(companyId, connectionId));
        Assert.True(tab.Errors.Count == 0, "script errors or CSP violations:\n" + string.Join("\n", tab.Errors));
    }

    [Fact]
    public async Task SuccessfulJourney_Tokens_AppearInNoPageAndNoUrlTheBrowserSaw()
    {
        // Beta has no redirect URL: Consentry's own success page, on its own origin, so the pages' CSP stays enforced.
        using var beta = App.Beta();
        await beta.PutJsonAsync("/profile", new { name = "Beta", redirectUrl = "" }).ExpectAsync(HttpStatusCode.OK);
        var (companyId, connectionId, linkPath) = await NewConnectionAsync("sbac", beta);
        var tab = await OpenTabAsync();

        await tab.GotoAsync(linkPath);
        await ContinueToPlatformAsync(tab, "Consentry Sandbox Accounting");
        await SignInAsync(tab, "user_good", "pass_good");
        await AllowAsync(tab, u => u.Contains("/link/done", StringComparison.Ordinal));
        await Expect(tab.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Consentry Sandbox Accounting is connected");
        await tab.GotoAsync(linkPath); // linked already: straight back to the result page (201)
        await tab.GotoAsync($"/link/company/{companyId}?step=connect");
        await Expect(tab.Page.GetByText("Consentry Sandbox Accounting connected")).ToBeVisibleAsync();

        var token = await App.WithDbAsync(db => db.ConnectionTokens.IgnoreQueryFilters().SingleAsync(t => t.ConnectionId == Guid.Parse(connectionId)));
        var protector = App.Service<SecretProtector>();
        string[] secrets = [protector.Unprotect(token.ProtectedAccessToken), protector.Unprotect(token.ProtectedRefreshToken!)];
        Assert.All(secrets, s => Assert.True(s.Length >= 20, "the sandbox issues long random tokens"));
        Assert.Equal(6, tab.Html.Count);
        Assert.True(tab.Requests.Count >= 10, "the browser loaded pages, styles, scripts and images");
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(tab.Html, html => html.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(tab.Requests, url => url.Contains(secret, StringComparison.Ordinal) || Uri.UnescapeDataString(url).Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(tab.Navigations, url => url.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(await tab.Context.CookiesAsync(), c => c.Value.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AllowAccess_WithThePagesCspEnforced_ReachesTheApp()
    {
        await UseRedirectAsync(Template);
        var (_, _, linkPath) = await NewConnectionAsync("sbac");
        var tab = await OpenTabAsync();
        await tab.GotoAsync(linkPath);
        await ContinueToPlatformAsync(tab, "Consentry Sandbox Accounting");
        await SignInAsync(tab, "user_good", "pass_good");

        await AllowAsync(tab, IsApp);

        Assert.Equal("200", tab.Query("status"));
    }

    [Fact]
    public async Task Cancel_WithThePagesCspEnforced_ReturnsToTheAppWith403()
    {
        await UseRedirectAsync(Template);
        var (_, _, linkPath) = await NewConnectionAsync("sbac");
        var tab = await OpenTabAsync();
        await tab.GotoAsync(linkPath);

        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }), IsApp);

        Assert.Equal("403", tab.Query("status"));
    }
}

public sealed class SandboxOutcomeBrowserTests_Sqlite(SqliteLinkApp app, Chromium chromium, AppSite site)
    : SandboxOutcomeBrowserTests(app, chromium, site), IClassFixture<SqliteLinkApp>, IClassFixture<Chromium>, IClassFixture<AppSite>;

public sealed class SandboxOutcomeBrowserTests_Postgres(PostgresLinkApp app, Chromium chromium, AppSite site)
    : SandboxOutcomeBrowserTests(app, chromium, site), IClassFixture<PostgresLinkApp>, IClassFixture<Chromium>, IClassFixture<AppSite>;
