using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Consentry.Sandbox.Tests.Infrastructure;

namespace Consentry.Sandbox.Tests;

/// <summary>The client half: code exchange with PKCE, refresh with rotation, revocation, the banking consent's expiry.</summary>
public sealed class TokenTests(SandboxApp app) : IClassFixture<SandboxApp>
{
    [Fact]
    public async Task Token_ValidCodeWithBasicAuth_ReturnsBearerTokens()
    {
        var driver = app.Driver();
        var code = await driver.CodeAsync("sbac", changes: new() { ["scope"] = "offline_access accounting.invoices.read" });
        using var response = await driver.ExchangeAsync("sbac", code);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
        Assert.Equal(30, json.GetProperty("expires_in").GetInt32());
        Assert.Equal("offline_access accounting.invoices.read", json.GetProperty("scope").GetString());
        Assert.True(json.GetProperty("access_token").GetString()!.Length >= 43);
        Assert.True(json.GetProperty("refresh_token").GetString()!.Length >= 43);
        Assert.False(json.TryGetProperty("consent_expires_at", out _));
    }

    [Fact]
    public async Task Token_ClientSecretPost_ReturnsTokens()
    {
        var driver = app.Driver();
        var code = await driver.CodeAsync("sbcm");
        using var response = await driver.TokenAsync("sbcm", new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = SandboxApp.RedirectUri,
            ["code_verifier"] = driver.Verifier,
        }, basic: false);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Token_UserError_Returns500ServerError()
    {
        var driver = app.Driver();
        using var response = await driver.ExchangeAsync("sbac", await driver.CodeAsync("sbac", "user_error"));

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.InternalServerError, "server_error");
    }

    [Fact]
    public async Task Token_WrongVerifier_ReturnsInvalidGrant()
    {
        var driver = app.Driver();
        using var response = await driver.ExchangeAsync("sbac", await driver.CodeAsync("sbac"), SandboxDriver.NewVerifier());

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Token_WrongRedirectUri_ReturnsInvalidGrant()
    {
        var driver = app.Driver();
        using var response = await driver.ExchangeAsync("sbac", await driver.CodeAsync("sbac"), redirectUri: SandboxApp.OtherRedirectUri);

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Token_CodeOfAnotherClient_ReturnsInvalidGrant()
    {
        var driver = app.Driver();
        var code = await driver.CodeAsync("sbac");
        using var response = await driver.TokenAsync("sbac", new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = SandboxApp.RedirectUri,
            ["code_verifier"] = driver.Verifier,
        }, clientId: "other-app", secret: "other-app-secret");

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Token_CodeOfAnotherPlatform_ReturnsInvalidGrant()
    {
        var driver = app.Driver();
        using var response = await driver.ExchangeAsync("sbcm", await driver.CodeAsync("sbac"));

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Token_CodeReplayed_ReturnsInvalidGrantAndRevokesTheFirstTokens()
    {
        var driver = app.Driver();
        var code = await driver.CodeAsync("sbac");
        using var first = await driver.ExchangeAsync("sbac", code);
        var tokens = Tokens.From(await first.Content.ReadFromJsonAsync<JsonElement>());
        using var before = await driver.ApiAsync("sbac", "accounts", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        using var replay = await driver.ExchangeAsync("sbac", code);
        await HttpAssert.OAuthErrorAsync(replay, HttpStatusCode.BadRequest, "invalid_grant");

        using var after = await driver.ApiAsync("sbac", "accounts", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using var refresh = await driver.RefreshAsync("sbac", tokens.RefreshToken);
        await HttpAssert.OAuthErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Token_ConcurrentExchangesOfOneCode_AtMostOneSucceeds()
    {
        var driver = app.Driver();
        var code = await driver.CodeAsync("sbac");
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => driver.ExchangeAsync("sbac", code)));

        Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.OK) <= 1);
        Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest) >= 7);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Theory]
    [InlineData("test-app", "wrong-secret")]
    [InlineData("nobody", "test-app-secret-0123456789")]
    public async Task Token_BadClientCredentials_Returns401InvalidClient(string clientId, string secret)
    {
        var driver = app.Driver();
        var code = await driver.CodeAsync("sbac");
        using var response = await driver.TokenAsync("sbac", new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = SandboxApp.RedirectUri,
            ["code_verifier"] = driver.Verifier,
        }, clientId: clientId, secret: secret);

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.StartsWith("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_NoClientAuthentication_Returns401InvalidClient()
    {
        using var client = app.Browser();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = "x" });
        using var response = await client.PostAsync("/sandbox/sbac/oauth/token", content);

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Theory]
    [InlineData("password", "unsupported_grant_type")]
    [InlineData("", "invalid_request")]
    public async Task Token_UnsupportedOrMissingGrantType_Returns400(string grantType, string error)
    {
        using var response = await app.Driver().TokenAsync("sbac", new() { ["grant_type"] = grantType });

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.BadRequest, error);
    }

    [Fact]
    public async Task Token_JsonBody_Returns400InvalidRequest()
    {
        using var client = app.Browser();
        using var content = new StringContent("""{"grant_type":"refresh_token"}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/sandbox/sbac/oauth/token", content);

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Refresh_ValidToken_RotatesAndTheOldTokenStopsWorking()
    {
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbcm");

        using var refreshed = await driver.RefreshAsync("sbcm", tokens.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var next = Tokens.From(await refreshed.Content.ReadFromJsonAsync<JsonElement>());
        Assert.NotEqual(tokens.RefreshToken, next.RefreshToken);
        Assert.NotEqual(tokens.AccessToken, next.AccessToken);
        Assert.Equal(tokens.Response.GetProperty("scope").GetString(), next.Response.GetProperty("scope").GetString());
        using var data = await driver.ApiAsync("sbcm", "orders", next.AccessToken);
        Assert.Equal(HttpStatusCode.OK, data.StatusCode);

        using var again = await driver.RefreshAsync("sbcm", next.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Refresh_RotatedTokenReused_ReturnsInvalidGrantAndRevokesTheGrant()
    {
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbac");
        using var refreshed = await driver.RefreshAsync("sbac", tokens.RefreshToken);
        var next = Tokens.From(await refreshed.Content.ReadFromJsonAsync<JsonElement>());

        using var reuse = await driver.RefreshAsync("sbac", tokens.RefreshToken);
        await HttpAssert.OAuthErrorAsync(reuse, HttpStatusCode.BadRequest, "invalid_grant");

        using var newest = await driver.RefreshAsync("sbac", next.RefreshToken);
        await HttpAssert.OAuthErrorAsync(newest, HttpStatusCode.BadRequest, "invalid_grant");
        using var data = await driver.ApiAsync("sbac", "accounts", next.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, data.StatusCode);
    }

    [Fact]
    public async Task Refresh_NarrowerScope_IssuesANarrowerAccessToken()
    {
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbac");
        using var response = await driver.TokenAsync("sbac", new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = tokens.RefreshToken,
            ["scope"] = "accounting.company.read",
        });
        var next = Tokens.From(await response.Content.ReadFromJsonAsync<JsonElement>());

        Assert.Equal("accounting.company.read", next.Response.GetProperty("scope").GetString());
        using var company = await driver.ApiAsync("sbac", "company", next.AccessToken);
        using var invoices = await driver.ApiAsync("sbac", "invoices", next.AccessToken);
        Assert.Equal(HttpStatusCode.OK, company.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, invoices.StatusCode);
    }

    [Fact]
    public async Task Refresh_TokenOfAnotherPlatform_ReturnsInvalidGrant()
    {
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbac");
        using var response = await driver.RefreshAsync("sbcm", tokens.RefreshToken);

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Revoke_RefreshToken_RevokesTheWholeGrant()
    {
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbbk");

        using var revoked = await driver.RevokeAsync("sbbk", tokens.RefreshToken, "refresh_token");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);

        using var refresh = await driver.RefreshAsync("sbbk", tokens.RefreshToken);
        await HttpAssert.OAuthErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");
        using var data = await driver.ApiAsync("sbbk", "accounts", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, data.StatusCode);
    }

    [Fact]
    public async Task Revoke_AccessToken_StopsThatTokenOnly()
    {
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbac");

        using var revoked = await driver.RevokeAsync("sbac", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);

        using var data = await driver.ApiAsync("sbac", "accounts", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, data.StatusCode);
        using var refresh = await driver.RefreshAsync("sbac", tokens.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Fact]
    public async Task Revoke_UnknownToken_Returns200()
    {
        using var response = await app.Driver().RevokeAsync("sbac", "not-a-token", "access_token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Revoke_WithoutClientAuthentication_Returns401()
    {
        using var client = app.Browser();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = "x" });
        using var response = await client.PostAsync("/sandbox/sbac/oauth/revoke", content);

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Token_Banking_IncludesConsentExpiry()
    {
        var before = app.Time.GetUtcNow();
        var tokens = await app.Driver().TokensAsync("sbbk");

        var expires = DateTimeOffset.Parse(tokens.Response.GetProperty("consent_expires_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires, before + SandboxApp.BankingConsentLifetime - TimeSpan.FromSeconds(1), app.Time.GetUtcNow() + SandboxApp.BankingConsentLifetime);
    }
}

/// <summary>Tests that move the clock, each on its own host.</summary>
public sealed class TokenLifetimeTests
{
    [Fact]
    public async Task Token_CodeOlderThan60Seconds_ReturnsInvalidGrant()
    {
        await using var app = new SandboxApp();
        var driver = app.Driver();
        var code = await driver.CodeAsync("sbac");
        app.Time.Advance(TimeSpan.FromSeconds(61));

        using var response = await driver.ExchangeAsync("sbac", code);

        await HttpAssert.OAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task DataApi_ExpiredAccessToken_Returns401AndRefreshStillWorks()
    {
        await using var app = new SandboxApp();
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbac");
        app.Time.Advance(SandboxApp.AccessTokenLifetime + TimeSpan.FromSeconds(1));

        using var data = await driver.ApiAsync("sbac", "accounts", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, data.StatusCode);
        Assert.Contains("error=\"invalid_token\"", data.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var refresh = await driver.RefreshAsync("sbac", tokens.RefreshToken);
        var next = Tokens.From(await refresh.Content.ReadFromJsonAsync<JsonElement>());
        using var again = await driver.ApiAsync("sbac", "accounts", next.AccessToken);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Banking_ConsentExpired_RefreshFailsAndDataIsForbidden()
    {
        // Access tokens outlive the consent here, so the data API's own consent check is what answers.
        await using var app = SandboxApp.With(new() { ["Sandbox:AccessTokenLifetime"] = "01:00:00" });
        var driver = app.Driver();
        var tokens = await driver.TokensAsync("sbbk");
        using (var fresh = await driver.ApiAsync("sbbk", "transactions", tokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        app.Time.Advance(SandboxApp.BankingConsentLifetime + TimeSpan.FromSeconds(1));

        using var data = await driver.ApiAsync("sbbk", "transactions", tokens.AccessToken);
        await HttpAssert.OAuthErrorAsync(data, HttpStatusCode.Forbidden, "consent_expired");
        using var refresh = await driver.RefreshAsync("sbbk", tokens.RefreshToken);
        await HttpAssert.OAuthErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Logs_WholeJourney_NeverContainCodesTokensOrSecrets()
    {
        await using var app = new SandboxApp();
        var driver = app.Driver();
        var code = await driver.CodeAsync("sbac");
        using var exchanged = await driver.ExchangeAsync("sbac", code);
        var tokens = Tokens.From(await exchanged.Content.ReadFromJsonAsync<JsonElement>());
        using var refreshed = await driver.RefreshAsync("sbac", tokens.RefreshToken);
        using var replay = await driver.ExchangeAsync("sbac", code);
        using var revoked = await driver.RevokeAsync("sbac", tokens.RefreshToken);

        var logs = string.Join('\n', app.Logs);
        Assert.Contains("authorized client test-app", logs, StringComparison.Ordinal);
        foreach (var secret in new[] { code, tokens.AccessToken, tokens.RefreshToken, SandboxApp.ClientSecret, driver.Verifier, SandboxDriver.GoodPassword })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }
}
