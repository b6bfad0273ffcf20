using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Consentry.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace Consentry.Api.Tests.Platforms.TrueLayer;

/// <summary>
/// The simulator held to TrueLayer's public API reference (<see cref="TrueLayerExamples"/>): every answer the connector
/// uses (token, /me, accounts, cards, balances, transactions with from/to, pending transactions) has the shape of the
/// documented example, errors come in TrueLayer's error body with the documented codes, refresh tokens rotate, and
/// re-authentication renews the consent of the same connection. Drives the simulator directly, as a TrueLayer client would.
/// </summary>
public sealed partial class TrueLayerContractTests(SqliteTrueLayerApp app) : IClassFixture<SqliteTrueLayerApp>
{
    private const string AllScopes = "info accounts balance cards transactions offline_access";

    private string Redirect => $"{app.BaseUrl}/link/oauth/callback/evqv";

    private string Api => $"{app.SimulatorBase}/api/data/v1";

    [Fact]
    public async Task EveryAnswerTheConnectorUses_MatchesTrueLayersExamples()
    {
        var user = NewUser();
        var tokens = await AuthorizeAsync(user, AllScopes);
        Assert.Empty(TrueLayerExamples.Differences(TrueLayerExamples.Token, tokens));
        Assert.Equal(3600, tokens["expires_in"]!.GetValue<long>());

        using var api = Bearer(tokens["access_token"]!.GetValue<string>());
        var me = await api.GetAsync($"{Api}/me").ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(TrueLayerExamples.Differences(TrueLayerExamples.Me, me));
        var consentEnds = me["results"]![0]!["consent_expires_at"]!.GetValue<DateTime>().ToUniversalTime();
        Assert.InRange(consentEnds - app.Time.GetUtcNow().UtcDateTime, TimeSpan.FromDays(89.9), TimeSpan.FromDays(90.1));
        Assert.Empty(TrueLayerExamples.Differences(TrueLayerExamples.Info, await api.GetAsync($"{Api}/info").ExpectAsync(HttpStatusCode.OK)));

        var accounts = await api.GetAsync($"{Api}/accounts").ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(TrueLayerExamples.Differences(TrueLayerExamples.Accounts, accounts));
        var cards = await api.GetAsync($"{Api}/cards").ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(TrueLayerExamples.Differences(TrueLayerExamples.Cards, cards));
        var to = app.Time.GetUtcNow().UtcDateTime;
        var range = $"from={Uri.EscapeDataString(to.AddDays(-365).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"))}&to={Uri.EscapeDataString(to.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"))}";
        foreach (var (kind, id, balanceExample) in new[]
        {
            ("accounts", accounts["results"]![0]!["account_id"]!.GetValue<string>(), TrueLayerExamples.Balance),
            ("cards", cards["results"]![0]!["account_id"]!.GetValue<string>(), TrueLayerExamples.CardBalance),
        })
        {
            Assert.Empty(TrueLayerExamples.Differences(balanceExample, await api.GetAsync($"{Api}/{kind}/{id}/balance").ExpectAsync(HttpStatusCode.OK)));
            var year = await api.GetAsync($"{Api}/{kind}/{id}/transactions?{range}").ExpectAsync(HttpStatusCode.OK);
            Assert.Empty(TrueLayerExamples.Differences(TrueLayerExamples.Transactions, year));
            Assert.Equal("Succeeded", year["status"]!.GetValue<string>());
            Assert.Empty(TrueLayerExamples.Differences(TrueLayerExamples.PendingTransactions, await api.GetAsync($"{Api}/{kind}/{id}/transactions/pending").ExpectAsync(HttpStatusCode.OK)));

            // from/to bound what is answered.
            var week = await api.GetAsync($"{Api}/{kind}/{id}/transactions?from={to.AddDays(-7):yyyy-MM-dd}&to={to:yyyy-MM-dd}").ExpectAsync(HttpStatusCode.OK);
            Assert.True(week["results"]!.AsArray().Count < year["results"]!.AsArray().Count, kind);
            Assert.All(week["results"]!.AsArray(), t => Assert.True(t!["timestamp"]!.GetValue<DateTime>().ToUniversalTime() >= to.Date.AddDays(-7)));
        }
    }

    [Fact]
    public async Task Refusals_AnswerInTrueLayersErrorBody_WithTheDocumentedCodes()
    {
        var user = NewUser();
        var tokens = await AuthorizeAsync(user, "accounts balance transactions offline_access");
        using var api = Bearer(tokens["access_token"]!.GetValue<string>());
        var accountId = (await api.GetAsync($"{Api}/accounts").ExpectAsync(HttpStatusCode.OK))["results"]![0]!["account_id"]!.GetValue<string>();

        async Task<string> RefusedAsync(HttpClient client, string path, HttpStatusCode status)
        {
            var body = await client.GetAsync($"{Api}/{path}").ExpectAsync(status);
            Assert.Empty(TrueLayerExamples.Differences(TrueLayerExamples.Error, body));
            return body["error"]!.GetValue<string>();
        }

        using (var anonymous = Bearer("not-a-token"))
        {
            Assert.Equal("invalid_token", await RefusedAsync(anonymous, "accounts", HttpStatusCode.Unauthorized));
        }

        Assert.Equal("validation_error", await RefusedAsync(api, $"accounts/{accountId}/transactions?from=2024-01-01", HttpStatusCode.BadRequest));
        Assert.Equal("invalid_date_range", await RefusedAsync(api, $"accounts/{accountId}/transactions?from=2024-02-01&to=2024-01-01", HttpStatusCode.BadRequest));
        Assert.Equal("account_not_found", await RefusedAsync(api, "accounts/nope/balance", HttpStatusCode.NotFound));
        Assert.Equal("insufficient_scope", await RefusedAsync(api, "cards", HttpStatusCode.Forbidden));

        await app.ControlAsync(user, "failures", new { status = 429, error = "provider_too_many_requests", retryAfterSeconds = 3 });
        using (var limited = await api.GetAsync($"{Api}/accounts"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(3), limited.Headers.RetryAfter!.Delta);
        }

        // Refresh tokens rotate: the new one works, the used one is invalid_grant.
        var refreshed = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = tokens["refresh_token"]!.GetValue<string>() }).ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(tokens["refresh_token"]!.GetValue<string>(), refreshed["refresh_token"]!.GetValue<string>());
        var reused = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = tokens["refresh_token"]!.GetValue<string>() }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal("invalid_grant", reused["error"]!.GetValue<string>());

        // The consent ends: the Data API answers access_denied and the refresh token invalid_grant.
        await app.ControlAsync(user, "consent/expire");
        Assert.Equal("access_denied", await RefusedAsync(api, "accounts", HttpStatusCode.Forbidden));
        var ended = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshed["refresh_token"]!.GetValue<string>() }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal("invalid_grant", ended["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task CardsAtABankWithoutThem_AreEndpointNotSupported()
    {
        var tokens = await AuthorizeAsync(NewUser(), AllScopes, bank: "ob-mock-savings");
        using var api = Bearer(tokens["access_token"]!.GetValue<string>());
        var body = await api.GetAsync($"{Api}/cards").ExpectAsync(HttpStatusCode.NotImplemented);
        Assert.Empty(TrueLayerExamples.Differences(TrueLayerExamples.Error, body));
        Assert.Equal("endpoint_not_supported", body["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reauthentication_RenewsTheConsentOfTheSameConnection_AndDeleteEndsIt()
    {
        var user = NewUser();
        var tokens = await AuthorizeAsync(user, AllScopes);
        var first = await MeAsync(tokens);
        await app.ControlAsync(user, "consent/expire");

        using var reauth = new HttpRequestMessage(HttpMethod.Post, $"{app.SimulatorBase}/auth/v1/reauthuri")
        {
            Content = JsonContent.Create(new { response_type = "code", refresh_token = tokens["refresh_token"]!.GetValue<string>(), redirect_uri = Redirect }),
        };
        var link = await new HttpClient().SendAsync(reauth).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(TrueLayerExamples.Differences(TrueLayerExamples.ReauthUri, link));
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        var login = await browser.GetStringAsync(link["result"]!.GetValue<string>());
        Assert.Contains("Sign in to Mock Bank", login, StringComparison.Ordinal);
        var renewed = await ConsentAsync(browser, Handle(login), user);

        var second = await MeAsync(renewed);
        Assert.Equal(first["credentials_id"]!.GetValue<string>(), second["credentials_id"]!.GetValue<string>());
        Assert.True(second["consent_expires_at"]!.GetValue<DateTime>() > first["consent_expires_at"]!.GetValue<DateTime>().AddSeconds(-1));
        Assert.True(second["consent_expires_at"]!.GetValue<DateTime>().ToUniversalTime() > app.Time.GetUtcNow().UtcDateTime.AddDays(89));

        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"{app.SimulatorBase}/auth/api/delete");
        delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", renewed["access_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await new HttpClient().SendAsync(delete)).StatusCode);
        using var api = Bearer(renewed["access_token"]!.GetValue<string>());
        Assert.Equal("access_denied", (await api.GetAsync($"{Api}/accounts").ExpectAsync(HttpStatusCode.Forbidden))["error"]!.GetValue<string>());
    }

    private static string NewUser() => "user_good+" + Guid.NewGuid().ToString("N")[..12];

    private async Task<JsonNode> MeAsync(JsonNode tokens)
    {
        using var api = Bearer(tokens["access_token"]!.GetValue<string>());
        return (await api.GetAsync($"{Api}/me").ExpectAsync(HttpStatusCode.OK))["results"]![0]!;
    }

    /// <summary>The auth link at the simulator: provider chooser, the bank's sign-in and consent, code exchange.</summary>
    private async Task<JsonNode> AuthorizeAsync(string user, string scope, string bank = "mock")
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        var authorize = QueryHelpers.AddQueryString($"{app.SimulatorBase}/auth/", new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = TrueLayerApp.ClientId, ["redirect_uri"] = Redirect, ["scope"] = scope,
            ["providers"] = "uk-ob-all uk-oauth-all", ["state"] = "s1",
        });
        var chooser = await browser.GetStringAsync(authorize);
        Assert.Contains("Mock Savings Bank", chooser, StringComparison.Ordinal);
        using var login = await browser.PostAsync($"{app.SimulatorBase}/auth/provider",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["request"] = Handle(chooser), ["provider_id"] = bank }));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return await ConsentAsync(browser, Handle(chooser), user, state: "s1");
    }

    private async Task<JsonNode> ConsentAsync(HttpClient browser, string handle, string user, string? state = null)
    {
        using var consent = await browser.PostAsync($"{app.SimulatorBase}/auth/login",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["request"] = handle, ["username"] = user, ["password"] = "pass_good" }));
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        using var back = await browser.PostAsync($"{app.SimulatorBase}/auth/consent/allow", new FormUrlEncodedContent(new Dictionary<string, string> { ["request"] = handle }));
        Assert.Equal(HttpStatusCode.Found, back.StatusCode);
        var query = QueryHelpers.ParseQuery(back.Headers.Location!.Query);
        Assert.Equal(state ?? "", query.TryGetValue("state", out var returned) ? returned.ToString() : "");
        return await TokenAsync(new() { ["grant_type"] = "authorization_code", ["code"] = query["code"].ToString(), ["redirect_uri"] = Redirect }).ExpectAsync(HttpStatusCode.OK);
    }

    /// <summary>client_secret_post, as TrueLayer documents it.</summary>
    private Task<HttpResponseMessage> TokenAsync(Dictionary<string, string> form)
    {
        form["client_id"] = TrueLayerApp.ClientId;
        form["client_secret"] = TrueLayerApp.ClientSecret;
        return new HttpClient().PostAsync($"{app.SimulatorBase}/auth/connect/token", new FormUrlEncodedContent(form));
    }

    private static string Handle(string html) => RequestHandle().Match(html).Groups[1].Value;

    private static HttpClient Bearer(string token)
    {
        var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    [GeneratedRegex("name=\"request\" value=\"([^\"]+)\"")]
    private static partial Regex RequestHandle();
}
