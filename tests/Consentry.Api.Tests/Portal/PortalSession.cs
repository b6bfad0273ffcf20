using System.Net;
using System.Text.RegularExpressions;
using Consentry.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Consentry.Api.Tests.Portal;

/// <summary>The host with a configured first admin (an operator, in the oldest client: Alpha).</summary>
public class PortalApp(Consentry.Core.Persistence.DatabaseProvider provider) : ConsentryApp(provider)
{
    public const string AdminEmail = "admin@alpha.test";
    public const string AdminPassword = "correct-horse-battery";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Consentry:Portal:AdminEmail"] = AdminEmail,
        ["Consentry:Portal:AdminPassword"] = AdminPassword,
    };

    /// <summary>A browser-like session: its own cookies, no automatic redirects.</summary>
    public PortalSession Session() =>
        new(CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(PublicBaseUrl), AllowAutoRedirect = false, HandleCookies = true }));
}

public sealed class SqlitePortalApp() : PortalApp(Consentry.Core.Persistence.DatabaseProvider.Sqlite);

public sealed class PostgresPortalApp() : PortalApp(Consentry.Core.Persistence.DatabaseProvider.Postgres);

/// <summary>Reads pages and submits their forms with the antiforgery token the page carries, as a browser does.</summary>
public sealed partial class PortalSession(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public async Task<HttpResponseMessage> SignInAsync(string email, string password)
    {
        var form = await GetAsync("/portal/signin");
        return await PostAsync("/portal/signin", Token(form), new() { ["email"] = email, ["password"] = password });
    }

    public async Task<string> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Http.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {path}: expected {(int)expected}, got {(int)response.StatusCode} {response.Headers.Location}");
        return html;
    }

    /// <summary>Loads <paramref name="page"/>, then posts to <paramref name="action"/> with that page's token.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string page, string action, Dictionary<string, string> fields) =>
        await PostAsync(action, Token(await GetAsync(page)), fields);

    public Task<HttpResponseMessage> PostAsync(string action, string? token, Dictionary<string, string> fields)
    {
        var values = new Dictionary<string, string>(fields);
        if (token is not null)
        {
            values["__RequestVerificationToken"] = token;
        }

        return Http.PostAsync(action, new FormUrlEncodedContent(values));
    }

    public static string Token(string html) =>
        WebUtility.HtmlDecode(TokenPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No antiforgery token on the page:\n" + html));

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
