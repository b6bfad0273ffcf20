using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace Consentry.Sandbox.Tests.Infrastructure;

/// <summary>Plays the browser and the OAuth client against the sandbox, over HTTP, the way Consentry will.</summary>
public sealed partial class SandboxDriver(SandboxApp app)
{
    public const string GoodPassword = "pass_good";

    /// <summary>One browser (one cookie jar) per driver.</summary>
    public HttpClient Browser { get; } = app.Browser();

    /// <summary>The PKCE verifier of the latest authorization request.</summary>
    public string Verifier { get; private set; } = NewVerifier();

    /// <summary>The state of the latest authorization request.</summary>
    public string State { get; private set; } = "";

    public static string NewVerifier() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string ChallengeOf(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>An authorization URL with valid defaults; <paramref name="changes"/> replaces parameters (null removes one).</summary>
    public string AuthorizeUrl(string platform, Dictionary<string, string?>? changes = null)
    {
        Verifier = NewVerifier();
        State = "st-" + Guid.NewGuid().ToString("N");
        var parameters = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = SandboxApp.ClientId,
            ["redirect_uri"] = SandboxApp.RedirectUri,
            ["state"] = State,
            ["code_challenge"] = ChallengeOf(Verifier),
            ["code_challenge_method"] = "S256",
        };
        foreach (var (key, value) in changes ?? [])
        {
            parameters[key] = value;
        }

        return QueryHelpers.AddQueryString($"/sandbox/{platform}/oauth/authorize", parameters.Where(p => p.Value is not null));
    }

    public async Task<string> OpenLoginAsync(string platform, Dictionary<string, string?>? changes = null)
    {
        using var response = await Browser.GetAsync(AuthorizeUrl(platform, changes));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public Task<HttpResponseMessage> SubmitLoginAsync(string loginHtml, string username, string password) =>
        SubmitAsync(loginHtml, "/oauth/login", new() { ["username"] = username, ["password"] = password });

    /// <summary>Signs in and returns the consent page.</summary>
    public async Task<string> SignInAsync(string platform, string username, string password = GoodPassword, Dictionary<string, string?>? changes = null)
    {
        var login = await OpenLoginAsync(platform, changes);
        using var response = await SubmitLoginAsync(login, username, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var consent = await response.Content.ReadAsStringAsync();
        Assert.Contains("/oauth/consent/accept", consent, StringComparison.Ordinal);
        return consent;
    }

    /// <summary>Clicks Allow access or Deny and returns where the browser is sent.</summary>
    public async Task<Uri> DecideAsync(string consentHtml, bool accept)
    {
        using var response = await SubmitAsync(consentHtml, accept ? "/oauth/consent/accept" : "/oauth/consent/deny", []);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return response.Headers.Location!;
    }

    public async Task<Uri> AuthorizeAsync(string platform, string username = "user_good", bool accept = true, Dictionary<string, string?>? changes = null) =>
        await DecideAsync(await SignInAsync(platform, username, changes: changes), accept);

    public async Task<string> CodeAsync(string platform, string username = "user_good", Dictionary<string, string?>? changes = null)
    {
        var back = await AuthorizeAsync(platform, username, changes: changes);
        var query = Query(back);
        Assert.Equal(State, query["state"]);
        return query["code"];
    }

    public Task<HttpResponseMessage> ExchangeAsync(string platform, string code, string? verifier = null, string redirectUri = SandboxApp.RedirectUri) =>
        TokenAsync(platform, new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier ?? Verifier,
        });

    /// <summary>The whole journey for <paramref name="username"/>: a token response that must succeed.</summary>
    public async Task<Tokens> TokensAsync(string platform, string username = "user_good", Dictionary<string, string?>? changes = null)
    {
        var code = await CodeAsync(platform, username, changes);
        using var response = await ExchangeAsync(platform, code);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Tokens.From(await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    public Task<HttpResponseMessage> RefreshAsync(string platform, string refreshToken) =>
        TokenAsync(platform, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken });

    public Task<HttpResponseMessage> RevokeAsync(string platform, string token, string? hint = null)
    {
        var form = new Dictionary<string, string> { ["token"] = token };
        if (hint is not null)
        {
            form["token_type_hint"] = hint;
        }

        return PostClientAsync($"/sandbox/{platform}/oauth/revoke", form, basic: true);
    }

    /// <summary>A token request authenticated with HTTP Basic (or client_secret_post when <paramref name="basic"/> is false).</summary>
    public Task<HttpResponseMessage> TokenAsync(
        string platform, Dictionary<string, string> form, bool basic = true, string clientId = SandboxApp.ClientId,
        string secret = SandboxApp.ClientSecret) =>
        PostClientAsync($"/sandbox/{platform}/oauth/token", form, basic, clientId, secret);

    public async Task<HttpResponseMessage> ApiAsync(string platform, string path, string? accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/sandbox/{platform}/api/{path}");
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return await Browser.SendAsync(request);
    }

    public async Task<JsonElement> ApiJsonAsync(string platform, string path, string accessToken)
    {
        using var response = await ApiAsync(platform, path, accessToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>
    /// A control API call (<c>{prefix}/{platform}/control/users/{username}/{action}</c>): a POST with <paramref name="body"/>
    /// as JSON (no body when null), or a GET when <paramref name="get"/>; HTTP Basic with the test client unless
    /// <paramref name="secret"/> says otherwise (null: no credentials).
    /// </summary>
    public async Task<HttpResponseMessage> ControlAsync(
        string platform, string username, string action, object? body = null, bool get = false,
        string? secret = SandboxApp.ClientSecret)
    {
        using var client = app.Browser();
        using var request = new HttpRequestMessage(get ? HttpMethod.Get : HttpMethod.Post, $"/sandbox/{platform}/control/users/{username}/{action}");
        if (secret is not null)
        {
            var raw = $"{Uri.EscapeDataString(SandboxApp.ClientId)}:{Uri.EscapeDataString(secret)}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(raw)));
        }

        if (body is not null)
        {
            request.Content = body as HttpContent ?? JsonContent.Create(body);
        }

        return await client.SendAsync(request);
    }

    /// <summary>A control API call that must answer 200; its JSON.</summary>
    public async Task<JsonElement> ControlJsonAsync(string platform, string username, string action, object? body = null, bool get = false)
    {
        using var response = await ControlAsync(platform, username, action, body, get);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{action}: {response.StatusCode} {text}");
        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    public static Dictionary<string, string> Query(Uri uri) =>
        QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    /// <summary>The hidden fields of the form whose action ends with <paramref name="actionSuffix"/>.</summary>
    public static (string Action, Dictionary<string, string> Fields) Form(string html, string actionSuffix)
    {
        foreach (Match form in FormPattern().Matches(html))
        {
            var action = WebUtility.HtmlDecode(form.Groups[1].Value);
            if (action.EndsWith(actionSuffix, StringComparison.Ordinal))
            {
                var fields = HiddenPattern().Matches(form.Groups[2].Value)
                    .ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
                return (action, fields);
            }
        }

        throw new Xunit.Sdk.XunitException($"No form posting to …{actionSuffix} in:\n{html}");
    }

    public async Task<HttpResponseMessage> SubmitAsync(string html, string actionSuffix, Dictionary<string, string> fields, bool withAntiforgery = true)
    {
        var (action, hidden) = Form(html, actionSuffix);
        if (!withAntiforgery)
        {
            hidden.Remove("__RequestVerificationToken");
        }

        foreach (var (key, value) in fields)
        {
            hidden[key] = value;
        }

        using var content = new FormUrlEncodedContent(hidden);
        return await Browser.PostAsync(action, content);
    }

    private async Task<HttpResponseMessage> PostClientAsync(
        string path, Dictionary<string, string> form, bool basic, string clientId = SandboxApp.ClientId, string secret = SandboxApp.ClientSecret)
    {
        // A client has no cookies: a fresh HttpClient, not the browser.
        using var client = app.Browser();
        var body = new Dictionary<string, string>(form);
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (basic)
        {
            var raw = $"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(raw)));
        }
        else
        {
            body["client_id"] = clientId;
            body["client_secret"] = secret;
        }

        request.Content = new FormUrlEncodedContent(body);
        return await client.SendAsync(request);
    }

    [GeneratedRegex("""<form method="post" action="([^"]+)">(.*?)</form>""", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("""<input type="hidden" name="([^"]+)" value="([^"]*)">""")]
    private static partial Regex HiddenPattern();
}

public sealed record Tokens(string AccessToken, string RefreshToken, JsonElement Response)
{
    public static Tokens From(JsonElement json) =>
        new(json.GetProperty("access_token").GetString()!, json.GetProperty("refresh_token").GetString()!, json);
}

public static class HttpAssert
{
    /// <summary>An RFC 6749 §5.2 error with the given status and error code.</summary>
    public static async Task OAuthErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {status}, got {response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
    }
}
