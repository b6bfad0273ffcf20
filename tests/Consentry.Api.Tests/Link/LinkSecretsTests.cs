using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Link;

/// <summary>The host logging everything (Trace), to prove no token, code, state or verifier reaches a log or a page.</summary>
public sealed class VerboseLinkApp() : LinkApp(DatabaseProvider.Sqlite)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft"] = "Trace",
    };
}

public sealed class LinkSecretsTests(VerboseLinkApp app) : IClassFixture<VerboseLinkApp>
{
    [Fact]
    public async Task Journey_TokensCodesAndState_NeverAppearInLogsOrPages()
    {
        var api = app.Alpha();
        await api.PutJsonAsync("/profile", new { name = "Alpha", redirectUrl = "https://app.example/done?s={statusCode}", whiteListUrls = new[] { "https://app.example" } })
            .ExpectAsync(HttpStatusCode.OK);
        var companyId = await api.CreateCompanyAsync("Secret Keeping Ltd");
        var connection = await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbbk" }).ExpectAsync(HttpStatusCode.OK);
        using var browser = app.Browser();
        var pages = new List<string>();

        await browser.GoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);
        pages.Add(browser.Html);
        await browser.SubmitAsync("handler=Continue");
        pages.Add(browser.Html);
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = "user_good", ["password"] = "pass_good" });
        pages.Add(browser.Html);
        await browser.SubmitAsync("/oauth/consent/accept");
        Assert.Equal("200", QueryHelpers.ParseQuery(browser.Location.Query)["s"].ToString());

        var callback = QueryHelpers.ParseQuery(browser.Visited.Single(u => u.AbsolutePath.StartsWith("/link/oauth/callback/", StringComparison.Ordinal)).Query);
        var token = await app.WithDbAsync(db => db.ConnectionTokens.IgnoreQueryFilters().SingleAsync(t => t.ConnectionId == Guid.Parse(connection["id"]!.GetValue<string>())));
        var protector = app.Service<SecretProtector>();
        var secrets = new[]
        {
            protector.Unprotect(token.ProtectedAccessToken),
            protector.Unprotect(token.ProtectedRefreshToken!),
            callback["code"].ToString(),
            callback["state"].ToString(),
            browser.Cookies["__Host-consentry-link"],
            "pass_good",
        };

        Assert.NotEmpty(app.Logs.Lines);
        foreach (var secret in secrets)
        {
            Assert.True(secret.Length >= 8, "each secret is a real value");
            Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
        }

        // The state travels through the browser by design (it is in the platform's URL), and the sandbox's login page
        // lists its public test passwords; tokens and the browser binding never reach a page.
        foreach (var secret in new[] { secrets[0], secrets[1], secrets[4] })
        {
            Assert.DoesNotContain(pages, page => page.Contains(secret, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(browser.Visited, u => u.ToString().Contains(secrets[0], StringComparison.Ordinal) || u.ToString().Contains(secrets[1], StringComparison.Ordinal));
    }
}
