using System.Net;
using Consentry.Sandbox.Tests.Infrastructure;

namespace Consentry.Sandbox.Tests;

/// <summary>The browser half: authorization request checks, the login page and every credential outcome, the consent page.</summary>
public sealed class AuthorizationTests(SandboxApp app) : IClassFixture<SandboxApp>
{
    [Fact]
    public async Task Authorize_UnknownClient_ShowsErrorPageNotRedirect()
    {
        var driver = app.Driver();
        using var response = await driver.Browser.GetAsync(driver.AuthorizeUrl("sbac", new() { ["client_id"] = "nobody" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("unknown client_id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://app.test/oauth/callback/")]
    [InlineData("https://APP.test/oauth/callback")]
    [InlineData("https://app.test:443/oauth/callback")]
    [InlineData("http://app.test/oauth/callback")]
    [InlineData("https://app.test/oauth/callback?x=1")]
    [InlineData("https://app.test/oauth/callback#frag")]
    [InlineData("https://app.test.evil.example/oauth/callback")]
    [InlineData("https://evil.example@app.test/oauth/callback")]
    [InlineData("https://other.test/callback")]
    public async Task Authorize_RedirectUriNotRegisteredForClient_ShowsErrorPageNotRedirect(string? redirectUri)
    {
        var driver = app.Driver();
        using var response = await driver.Browser.GetAsync(driver.AuthorizeUrl("sbac", new() { ["redirect_uri"] = redirectUri }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("redirect_uri", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("code_challenge", null, "invalid_request")]
    [InlineData("code_challenge_method", null, "invalid_request")]
    [InlineData("code_challenge_method", "plain", "invalid_request")]
    [InlineData("code_challenge", "too-short", "invalid_request")]
    [InlineData("response_type", "token", "unsupported_response_type")]
    [InlineData("scope", "accounting.invoices.read accounting.payroll.write", "invalid_scope")]
    public async Task Authorize_InvalidParameterWithGoodRedirect_RedirectsWithError(string parameter, string? value, string error)
    {
        var driver = app.Driver();
        using var response = await driver.Browser.GetAsync(driver.AuthorizeUrl("sbac", new() { [parameter] = value }));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(SandboxApp.RedirectUri + "?", location.ToString(), StringComparison.Ordinal);
        var query = SandboxDriver.Query(location);
        Assert.Equal(error, query["error"]);
        Assert.Equal(driver.State, query["state"]);
        Assert.Equal("http://localhost/sandbox/sbac", query["iss"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task Authorize_ValidRequest_ShowsAccessibleLoginPageWithSecurityHeaders()
    {
        var driver = app.Driver();
        using var response = await driver.Browser.GetAsync(driver.AuthorizeUrl("sbac"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("""<html lang="en">""", html, StringComparison.Ordinal);
        Assert.Contains("""name="viewport" content="width=device-width, initial-scale=1""", html, StringComparison.Ordinal);
        Assert.Contains("""<label for="username">""", html, StringComparison.Ordinal);
        Assert.Contains("""<label for="password">""", html, StringComparison.Ordinal);
        Assert.Contains("Test &lt;App&gt;", html, StringComparison.Ordinal);
        Assert.Contains("__RequestVerificationToken", SandboxDriver.Form(html, "/oauth/login").Fields.Keys);
    }

    [Fact]
    public async Task Login_UserGood_ShowsConsentListingScopesInPlainWordsWithSeparateForms()
    {
        var consent = await app.Driver().SignInAsync("sbac", "user_good", changes: new() { ["scope"] = "accounting.invoices.read offline_access" });

        Assert.Contains("See your sales invoices and whether they are paid", consent, StringComparison.Ordinal);
        Assert.Contains("Keep this access while you are not using the app", consent, StringComparison.Ordinal);
        Assert.DoesNotContain("See your customers", consent, StringComparison.Ordinal);
        Assert.Contains("__RequestVerificationToken", SandboxDriver.Form(consent, "/oauth/consent/accept").Fields.Keys);
        Assert.Contains("__RequestVerificationToken", SandboxDriver.Form(consent, "/oauth/consent/deny").Fields.Keys);
    }

    [Fact]
    public async Task Login_UserBad_ShowsInvalidCredentialsAndRetrySucceeds()
    {
        var driver = app.Driver();
        var login = await driver.OpenLoginAsync("sbcm");

        using var failed = await driver.SubmitLoginAsync(login, "user_bad", "pass_good");
        var again = await failed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        Assert.Contains("Invalid credentials", again, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", again, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"login-error\"", again, StringComparison.Ordinal);
        Assert.Contains("value=\"user_bad\"", again, StringComparison.Ordinal);

        using var retried = await driver.SubmitLoginAsync(again, "user_good", "pass_good");
        Assert.Contains("/oauth/consent/accept", await retried.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("user_bad", "anything")]
    [InlineData("user_good", "wrong")]
    [InlineData("user_deny", "pass_bad")]
    [InlineData("user_error", "")]
    [InlineData("nobody", "pass_good")]
    public async Task Login_WrongCredentials_ShowsInvalidCredentials(string username, string password)
    {
        var driver = app.Driver();
        using var response = await driver.SubmitLoginAsync(await driver.OpenLoginAsync("sbac"), username, password);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("Invalid credentials", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/oauth/consent/accept", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_MarkupInUsername_IsEncoded()
    {
        var driver = app.Driver();
        using var response = await driver.SubmitLoginAsync(await driver.OpenLoginAsync("sbac"), "<script>alert(1)</script>\"", "x");
        var html = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WithoutAntiforgeryToken_Returns400()
    {
        var driver = app.Driver();
        var login = await driver.OpenLoginAsync("sbac");
        using var response = await driver.SubmitAsync(login, "/oauth/login", new() { ["username"] = "user_good", ["password"] = "pass_good" }, withAntiforgery: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("/oauth/consent/accept", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_FromAnotherBrowser_Returns400()
    {
        var login = await app.Driver().OpenLoginAsync("sbac");
        using var response = await app.Driver().SubmitLoginAsync(login, "user_good", "pass_good");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Login_TamperedRequestField_Returns400()
    {
        var driver = app.Driver();
        var login = await driver.OpenLoginAsync("sbac");
        var request = SandboxDriver.Form(login, "/oauth/login").Fields["request"];
        using var response = await driver.SubmitAsync(login, "/oauth/login", new()
        {
            ["username"] = "user_good",
            ["password"] = "pass_good",
            ["request"] = request[..^4] + "AAAA",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Login_RequestFromAnotherPlatform_Returns400()
    {
        var driver = app.Driver();
        var login = await driver.OpenLoginAsync("sbac");
        var (_, fields) = SandboxDriver.Form(login, "/oauth/login");
        fields["username"] = "user_good";
        fields["password"] = "pass_good";
        using var content = new FormUrlEncodedContent(fields);
        using var response = await driver.Browser.PostAsync("/sandbox/sbcm/oauth/login", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Consent_AcceptByUserGood_RedirectsWithCodeStateAndIssuer()
    {
        var driver = app.Driver();
        using var response = await driver.SubmitAsync(await driver.SignInAsync("sbac", "user_good"), "/oauth/consent/accept", []);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        var location = response.Headers.Location!;
        Assert.StartsWith(SandboxApp.RedirectUri + "?", location.ToString(), StringComparison.Ordinal);
        var query = SandboxDriver.Query(location);
        Assert.True(query["code"].Length >= 43);
        Assert.Equal(driver.State, query["state"]);
        Assert.Equal("http://localhost/sandbox/sbac", query["iss"]);
    }

    [Fact]
    public async Task Consent_RedirectUriWithQuery_KeepsItsQuery()
    {
        var back = await app.Driver().AuthorizeAsync("sbcm", changes: new() { ["redirect_uri"] = SandboxApp.OtherRedirectUri });

        var query = SandboxDriver.Query(back);
        Assert.Equal("1", query["keep"]);
        Assert.True(query.ContainsKey("code"));
    }

    [Theory]
    [InlineData("user_good", false)]
    [InlineData("user_deny", true)]
    [InlineData("user_deny", false)]
    [InlineData("user_error", false)]
    public async Task Consent_DeniedOrCancelled_RedirectsWithAccessDenied(string username, bool accept)
    {
        var driver = app.Driver();
        var back = await driver.AuthorizeAsync("sbbk", username, accept);

        var query = SandboxDriver.Query(back);
        Assert.Equal("access_denied", query["error"]);
        Assert.Equal(driver.State, query["state"]);
        Assert.Equal("http://localhost/sandbox/sbbk", query["iss"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task Consent_UserError_StillRedirectsWithCode()
    {
        var query = SandboxDriver.Query(await app.Driver().AuthorizeAsync("sbac", "user_error"));

        Assert.True(query.ContainsKey("code"));
    }

    [Fact]
    public async Task Consent_WithoutAntiforgeryToken_Returns400()
    {
        var driver = app.Driver();
        using var response = await driver.SubmitAsync(await driver.SignInAsync("sbac", "user_good"), "/oauth/consent/accept", [], withAntiforgery: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Consent_LoginFormValueInsteadOfConsent_Returns400()
    {
        var driver = app.Driver();
        var login = await driver.OpenLoginAsync("sbac");
        var consent = await driver.SignInAsync("sbac", "user_good");
        using var response = await driver.SubmitAsync(consent, "/oauth/consent/accept", new()
        {
            ["request"] = SandboxDriver.Form(login, "/oauth/login").Fields["request"],
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Consent_SubmittedTwice_SecondIsRejected()
    {
        var driver = app.Driver();
        var consent = await driver.SignInAsync("sbac", "user_good");
        using var first = await driver.SubmitAsync(consent, "/oauth/consent/accept", []);
        using var second = await driver.SubmitAsync(consent, "/oauth/consent/accept", []);

        Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
    }

    [Fact]
    public async Task Consent_Banking_SaysHowLongTheConsentLastsAndLetsTheFormReturnToTheClient()
    {
        var driver = app.Driver();
        using var response = await driver.SubmitLoginAsync(await driver.OpenLoginAsync("sbbk"), "user_good", "pass_good");

        Assert.Contains("This consent lasts <strong>5 minutes</strong>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The forms end in a chain of redirects through the client to wherever it sends the user next, which browsers
        // check against form-action: so the consent page sets none (the login page keeps form-action 'self').
        Assert.DoesNotContain("form-action", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sbac")]
    [InlineData("sbbk")]
    [InlineData("sbcm")]
    public async Task Metadata_EachPlatform_AdvertisesEndpointsAndS256(string platform)
    {
        using var client = app.Browser();
        foreach (var path in new[] { $"/sandbox/{platform}/.well-known/oauth-authorization-server", $"/.well-known/oauth-authorization-server/sandbox/{platform}" })
        {
            var json = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(client, path);
            Assert.Equal($"http://localhost/sandbox/{platform}", json.GetProperty("issuer").GetString());
            Assert.Equal($"http://localhost/sandbox/{platform}/oauth/token", json.GetProperty("token_endpoint").GetString());
            Assert.Equal("S256", json.GetProperty("code_challenge_methods_supported")[0].GetString());
        }
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : "";
}
