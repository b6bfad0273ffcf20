using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Connections;
using Consentry.Core.Link;
using Consentry.Core.Security;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Link;

/// <summary>
/// The whole hosted journey over real HTTP (no browser): Consentry's pages, the sandbox's login and consent pages, the
/// callback, the token exchange between Consentry and the sandbox, and the redirect back to the app.
/// </summary>
public abstract class LinkJourneyTests(LinkApp app)
{
    private const string AppOrigin = "https://app.example";
    private readonly HttpClient _api = app.Alpha();

    [Fact]
    public async Task GoodCredentials_LinkTheConnection_AndReturnToTheAppWithPlaceholdersFilled()
    {
        await UseRedirectAsync($"{AppOrigin}/done/{{companyId}}?conn={{connectionId}}&status={{statusCode}}&platform={{platform}}&type={{sourceType}}&ref={{ref}}&missing={{nope}}");
        var (companyId, connectionId, linkUrl) = await NewConnectionAsync("sbac");
        using var browser = app.Browser();

        await browser.GoAsync(Path(linkUrl) + "?ref=order%2042");
        Assert.Equal(HttpStatusCode.OK, browser.Status);
        Assert.Contains("Connect Consentry Sandbox Accounting", browser.Html, StringComparison.Ordinal);
        await browser.SubmitAsync("handler=Continue");
        Assert.Contains(browser.Visited, u => u.AbsolutePath == "/sandbox/sbac/oauth/authorize");
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = "user_good", ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/accept");

        var back = browser.Location;
        Assert.Equal($"{AppOrigin}/done/{companyId}", back.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(back.Query);
        Assert.Equal(connectionId, query["conn"].ToString());
        Assert.Equal("200", query["status"].ToString());
        Assert.Equal("sbac", query["platform"].ToString());
        Assert.Equal("Accounting", query["type"].ToString());
        Assert.Equal("order 42", query["ref"].ToString());
        Assert.Equal("", query["missing"].ToString());

        var connection = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Linked", connection["status"]!.GetValue<string>());
        var token = await app.WithDbAsync(db => db.ConnectionTokens.IgnoreQueryFilters().SingleAsync(t => t.ConnectionId == Guid.Parse(connectionId)));
        var accessToken = app.Service<SecretProtector>().Unprotect(token.ProtectedAccessToken);
        Assert.DoesNotContain(accessToken, token.ProtectedAccessToken, StringComparison.Ordinal);
        Assert.DoesNotContain(browser.Visited, u => u.ToString().Contains(accessToken, StringComparison.Ordinal));
        var steps = await StepsAsync(connectionId);
        Assert.Equal([JourneyStep.Opened, JourneyStep.ConsentViewed, JourneyStep.OAuthStarted, JourneyStep.Authorized], steps);
    }

    [Fact]
    public async Task BadCredentials_ShowInvalidCredentials_AndTheCustomerCanRetry()
    {
        await UseRedirectAsync($"{AppOrigin}/done?status={{statusCode}}");
        var (_, connectionId, linkUrl) = await NewConnectionAsync("sbbk");
        using var browser = await OpenPlatformLoginAsync(linkUrl);

        await browser.SubmitAsync("/oauth/login", new() { ["username"] = "user_bad", ["password"] = "whatever" });
        Assert.Contains("nvalid credentials", browser.Html, StringComparison.Ordinal);
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = "user_good", ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/accept");

        Assert.Equal("200", QueryHelpers.ParseQuery(browser.Location.Query)["status"].ToString());
        Assert.Equal(ConnectionStatus.Linked, await StatusAsync(connectionId));
    }

    [Fact]
    public async Task DenyingUser_ReturnsAsCancelled403_AndTheConnectionStaysPending()
    {
        await UseRedirectAsync($"{AppOrigin}/done?status={{statusCode}}&error={{errorMessage}}&text={{statusText}}");
        var (companyId, connectionId, linkUrl) = await NewConnectionAsync("sbcm");
        using var browser = await OpenPlatformLoginAsync(linkUrl);

        await browser.SubmitAsync("/oauth/login", new() { ["username"] = "user_deny", ["password"] = "pass_good" });
        Assert.Contains("consent/accept", browser.Html, StringComparison.Ordinal);
        await browser.SubmitAsync("/oauth/consent/accept");

        var query = QueryHelpers.ParseQuery(browser.Location.Query);
        Assert.Equal("403", query["status"].ToString());
        Assert.Equal("User cancelled.", query["error"].ToString());
        Assert.Equal(ConnectionStatus.PendingAuth, await StatusAsync(connectionId));
        var connection = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("403", connection["dataConnectionErrors"]![0]!["statusCode"]!.GetValue<string>());
        Assert.Contains(JourneyStep.Failed, await StepsAsync(connectionId));
    }

    [Fact]
    public async Task TokenExchangeFailure_Returns500_AndRecordsTheError()
    {
        await UseRedirectAsync($"{AppOrigin}/done?status={{statusCode}}&error={{errorMessage}}");
        var (companyId, connectionId, linkUrl) = await NewConnectionAsync("sbac");
        using var browser = await OpenPlatformLoginAsync(linkUrl);

        await browser.SubmitAsync("/oauth/login", new() { ["username"] = "user_error", ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/accept");

        var query = QueryHelpers.ParseQuery(browser.Location.Query);
        Assert.Equal("500", query["status"].ToString());
        Assert.Equal("Unknown error occurred.", query["error"].ToString());
        Assert.Equal(ConnectionStatus.PendingAuth, await StatusAsync(connectionId));
        var connection = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        var error = connection["dataConnectionErrors"]![0]!;
        Assert.Equal("500", error["statusCode"]!.GetValue<string>());
        Assert.Contains("token exchange", error["statusText"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Active", error["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task LinkedConnection_OpenedAgain_Returns201()
    {
        await UseRedirectAsync($"{AppOrigin}/done?status={{statusCode}}");
        var (_, _, linkUrl) = await NewConnectionAsync("sbbk");
        await AuthorizeAsync(linkUrl);

        using var again = app.Browser();
        await again.GoAsync(Path(linkUrl));

        Assert.Equal("201", QueryHelpers.ParseQuery(again.Location.Query)["status"].ToString());
    }

    [Fact]
    public async Task RedirectOutsideTheAllowList_IsNeverFollowed_AndAnErrorPageShows()
    {
        // PUT /profile now refuses such a template; one saved before that check is still refused by the journey.
        await _api.PutJsonAsync("/profile", new { name = "Alpha", redirectUrl = "https://evil.example/steal?c={companyId}", whiteListUrls = new[] { AppOrigin } })
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "https://evil.example is not in whiteListUrls");
        await app.WithDbAsync(async db =>
        {
            var alpha = await db.Clients.IgnoreQueryFilters().SingleAsync(c => c.Name == "Alpha");
            (alpha.Profile.RedirectUrl, alpha.Profile.WhiteListUrls) = ("https://evil.example/steal?c={companyId}", [AppOrigin]);
            return await db.SaveChangesAsync();
        });
        var (_, connectionId, linkUrl) = await NewConnectionAsync("sbbk");

        using var browser = await AuthorizeAsync(linkUrl);

        Assert.DoesNotContain(browser.Visited, u => u.Host == "evil.example");
        Assert.Equal("/link/done", browser.Location.AbsolutePath);
        Assert.Contains("not on its list of allowed addresses", browser.Html, StringComparison.Ordinal);
        Assert.Equal(ConnectionStatus.Linked, await StatusAsync(connectionId));
    }

    [Fact]
    public async Task NoRedirectUrl_ShowsConsentrysOwnSuccessPage()
    {
        var beta = app.Beta();
        await beta.PutJsonAsync("/profile", new { name = "Beta", redirectUrl = "" }).ExpectAsync(HttpStatusCode.OK);
        var companyId = await beta.CreateCompanyAsync();
        var connection = await beta.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbcm" }).ExpectAsync(HttpStatusCode.OK);

        using var browser = await AuthorizeAsync(connection["linkUrl"]!.GetValue<string>());

        Assert.Equal("/link/done", browser.Location.AbsolutePath);
        Assert.Contains("is connected", browser.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgedState_IsRefused_WithoutTouchingAnyConnection()
    {
        using var browser = app.Browser();
        await browser.GoAsync("/link/oauth/callback/sbac?state=forged-state-value&code=abc");
        Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
        Assert.Contains("not one we started", browser.Html, StringComparison.Ordinal);

        await browser.GoAsync("/link/oauth/callback/sbac?code=abc");
        Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
    }

    [Fact]
    public async Task ReplayedCallback_IsRefused_AndTheConnectionStaysLinked()
    {
        await UseRedirectAsync($"{AppOrigin}/done?status={{statusCode}}");
        var (_, connectionId, linkUrl) = await NewConnectionAsync("sbbk");
        using var browser = await AuthorizeAsync(linkUrl);
        var callback = browser.Visited.Single(u => u.AbsolutePath.StartsWith("/link/oauth/callback/", StringComparison.Ordinal));

        await browser.GoAsync(callback.PathAndQuery);

        Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
        Assert.Contains("already used", browser.Html, StringComparison.Ordinal);
        Assert.Equal(ConnectionStatus.Linked, await StatusAsync(connectionId));
    }

    [Fact]
    public async Task CallbackInAnotherBrowser_OrWithoutTheCookie_IsRefused_AndTheRealOneStillWorks()
    {
        await UseRedirectAsync($"{AppOrigin}/done?status={{statusCode}}");
        var (_, connectionId, linkUrl) = await NewConnectionAsync("sbac");
        using var victim = await OpenPlatformLoginAsync(linkUrl);
        await victim.SubmitAsync("/oauth/login", new() { ["username"] = "user_good", ["password"] = "pass_good" });
        var consent = victim.Forms().Single(f => f.Action.Contains("consent/accept", StringComparison.Ordinal));

        // Steal the callback URL: accept in a raw request that does not follow the redirect.
        using var raw = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(app.BaseUrl) };
        using var accept = new HttpRequestMessage(HttpMethod.Post, consent.Action) { Content = new FormUrlEncodedContent(consent.Hidden) };
        accept.Headers.Add("Cookie", string.Join("; ", victim.Cookies.Select(c => $"{c.Key}={c.Value}")));
        using var decided = await raw.SendAsync(accept);
        var callback = decided.Headers.Location!;

        using (var attacker = app.Browser())
        {
            attacker.Cookies[LinkCookie] = "attackers-own-cookie-value-0123456789abcdefghij";
            attacker.Cookies[Consentry.Features.Link.Localization.LinkLocales.CookieName] = "fr"; // the refusal in the reader's language
            await attacker.GoAsync(callback.PathAndQuery);
            Assert.Equal(HttpStatusCode.BadRequest, attacker.Status);
            Assert.Contains("Cette connexion a été commencée dans un autre navigateur. Recommencez ici.", WebUtility.HtmlDecode(attacker.Html), StringComparison.Ordinal);
        }

        using (var cookieless = app.Browser())
        {
            await cookieless.GoAsync(callback.PathAndQuery);
            Assert.Equal(HttpStatusCode.BadRequest, cookieless.Status);
            Assert.Contains("This sign-in was started in another browser (or cookies are blocked).", cookieless.Html, StringComparison.Ordinal);
        }

        Assert.Equal(ConnectionStatus.PendingAuth, await StatusAsync(connectionId));
        await victim.GoAsync(callback.PathAndQuery);
        Assert.Equal("200", QueryHelpers.ParseQuery(victim.Location.Query)["status"].ToString());
        Assert.Equal(ConnectionStatus.Linked, await StatusAsync(connectionId));
    }

    [Fact]
    public async Task RacingCallbacks_ExchangeTheCodeOnce()
    {
        await UseRedirectAsync($"{AppOrigin}/done?status={{statusCode}}");
        var (_, connectionId, linkUrl) = await NewConnectionAsync("sbcm");
        using var browser = await OpenPlatformLoginAsync(linkUrl);
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = "user_good", ["password"] = "pass_good" });
        var consent = browser.Forms().Single(f => f.Action.Contains("consent/accept", StringComparison.Ordinal));
        var cookie = string.Join("; ", browser.Cookies.Select(c => $"{c.Key}={c.Value}"));
        using var raw = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(app.BaseUrl) };
        using var accept = new HttpRequestMessage(HttpMethod.Post, consent.Action) { Content = new FormUrlEncodedContent(consent.Hidden) };
        accept.Headers.Add("Cookie", cookie);
        var callback = (await raw.SendAsync(accept)).Headers.Location!;

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, callback.PathAndQuery);
            request.Headers.Add("Cookie", cookie);
            using var response = await raw.SendAsync(request);
            return response.StatusCode;
        }));

        Assert.Equal(1, answers.Count(a => a == HttpStatusCode.Redirect));
        Assert.Equal(5, answers.Count(a => a == HttpStatusCode.BadRequest));
        Assert.Single(await StepsAsync(connectionId), s => s == JourneyStep.Authorized);
    }

    [Fact]
    public async Task Pages_SendSecurityHeaders_AndAntiforgeryIsRequired()
    {
        var (_, _, linkUrl) = await NewConnectionAsync("sbbk");
        await _api.PostJsonAsync("/corsSettings", new { allowedOrigins = new[] { "https://embed.example" } }).ExpectAsync(HttpStatusCode.OK);
        using var raw = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };

        using var page = await raw.GetAsync(Path(linkUrl));
        Assert.True(page.Headers.CacheControl!.NoStore);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("frame-ancestors https://embed.example", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        using var forged = await raw.PostAsync(Path(linkUrl) + "?handler=Continue", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        await _api.PostJsonAsync("/corsSettings", new { allowedOrigins = Array.Empty<string>() }).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RealPlatformWithAnAccountPreStep_AsksForTheShop_ThenHandsOff()
    {
        var beta = app.Beta();
        await beta.PutJsonAsync("/integrations/fztf/settings", new { oauthClientId = "shopify-client", oauthClientSecret = "shopify-secret" }).ExpectAsync(HttpStatusCode.OK);
        var companyId = await beta.CreateCompanyAsync("Shop Owner Ltd");
        var connection = await beta.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "fztf" }).ExpectAsync(HttpStatusCode.OK);
        using var browser = app.Browser();

        await browser.GoAsync(Path(connection["linkUrl"]!.GetValue<string>()));
        Assert.Contains("for=\"tenant\"", browser.Html, StringComparison.Ordinal);
        await browser.SubmitAsync("handler=Continue", new() { ["shop"] = "not a shop!" });
        Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
        Assert.Contains("Enter your Shopify shop", browser.Html, StringComparison.Ordinal);
        await browser.SubmitAsync("handler=Continue", new() { ["shop"] = "my-store" });

        Assert.Equal("my-store.myshopify.com", browser.Location.Host);
        var query = QueryHelpers.ParseQuery(browser.Location.Query);
        Assert.Equal("shopify-client", query["client_id"].ToString());
        Assert.Equal($"{app.BaseUrl}/link/oauth/callback/fztf", query["redirect_uri"].ToString());
        Assert.True(query["state"].ToString().Length >= 43);
        Assert.DoesNotContain("shopify-secret", browser.Location.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCompanyOrConnection_ShowsA404Page()
    {
        using var browser = app.Browser();
        await browser.GoAsync($"/link/companies/{Guid.NewGuid()}/connections/{Guid.NewGuid()}/start");
        Assert.Equal(HttpStatusCode.NotFound, browser.Status);
        await browser.GoAsync($"/link/company/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, browser.Status);
    }

    private const string LinkCookie = "__Host-consentry-link";

    private async Task UseRedirectAsync(string template) =>
        await _api.PutJsonAsync("/profile", new { name = "Alpha", redirectUrl = template, whiteListUrls = new[] { AppOrigin } }).ExpectAsync(HttpStatusCode.OK);

    private async Task<(string CompanyId, string ConnectionId, string LinkUrl)> NewConnectionAsync(string platformKey)
    {
        var companyId = await _api.CreateCompanyAsync("Journey Ltd");
        var connection = await _api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey }).ExpectAsync(HttpStatusCode.OK);
        return (companyId, connection["id"]!.GetValue<string>(), connection["linkUrl"]!.GetValue<string>());
    }

    private async Task<LinkBrowser> OpenPlatformLoginAsync(string linkUrl)
    {
        var browser = app.Browser();
        await browser.GoAsync(Path(linkUrl));
        await browser.SubmitAsync("handler=Continue");
        Assert.Contains("/oauth/login", browser.Html, StringComparison.Ordinal);
        return browser;
    }

    private async Task<LinkBrowser> AuthorizeAsync(string linkUrl)
    {
        var browser = await OpenPlatformLoginAsync(linkUrl);
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = "user_good", ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/accept");
        return browser;
    }

    private Task<ConnectionStatus> StatusAsync(string connectionId) =>
        app.WithDbAsync(db => db.Connections.IgnoreQueryFilters().Where(c => c.Id == Guid.Parse(connectionId)).Select(c => c.Status).SingleAsync());

    private Task<List<JourneyStep>> StepsAsync(string connectionId) =>
        app.WithDbAsync(db => db.JourneyEvents.IgnoreQueryFilters().Where(e => e.ConnectionId == Guid.Parse(connectionId))
            .OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => e.Step).ToListAsync());

    private static string Path(string linkUrl) => new Uri(linkUrl).PathAndQuery;
}

public sealed class LinkJourneyTests_Sqlite(SqliteLinkApp app) : LinkJourneyTests(app), IClassFixture<SqliteLinkApp>;

public sealed class LinkJourneyTests_Postgres(PostgresLinkApp app) : LinkJourneyTests(app), IClassFixture<PostgresLinkApp>;
