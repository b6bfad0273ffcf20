using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Hosting;
using Microsoft.AspNetCore.WebUtilities;

namespace Consentry.Api.Tests.Link;

/// <summary>
/// Every category at Trace, ASP.NET Core's included (appsettings.json keeps it at Warning, which hid the framework's
/// request log from <see cref="LinkSecretsTests"/>), and a provider-specific level as an operator might set it.
/// </summary>
public sealed class TraceEverythingLinkApp() : LinkApp(DatabaseProvider.Sqlite)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
        [$"Logging:{typeof(LogCapture).FullName}:LogLevel:Default"] = "Trace",
    };
}

public sealed class LinkLogMaskingTests(TraceEverythingLinkApp app) : IClassFixture<TraceEverythingLinkApp>
{
    [Fact]
    public async Task Journey_LoggedAtTrace_NeverShowsTheOAuthCodeStateOrResultReference_ButLogsEachRequestMasked()
    {
        var api = app.Alpha();
        // No redirect URL: the journey ends on Consentry's own result page, whose ?r= reference is a protected payload.
        await api.PutJsonAsync("/profile", new { name = "Alpha", redirectUrl = "", whiteListUrls = Array.Empty<string>() }).ExpectAsync(HttpStatusCode.OK);
        var companyId = await api.CreateCompanyAsync("Quiet Logs Ltd");
        var connection = await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbbk" }).ExpectAsync(HttpStatusCode.OK);
        using var browser = app.Browser();

        await browser.GoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);
        await browser.SubmitAsync("handler=Continue");
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = "user_good", ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/accept");
        Assert.Equal("/link/done", browser.Location.AbsolutePath);

        var authorize = QueryHelpers.ParseQuery(browser.Visited.First(u => u.Query.Contains("state=", StringComparison.Ordinal)).Query);
        var callback = QueryHelpers.ParseQuery(browser.Visited.Single(u => u.AbsolutePath.StartsWith("/link/oauth/callback/", StringComparison.Ordinal)).Query);
        var secrets = new[] { callback["code"].ToString(), callback["state"].ToString(), authorize["state"].ToString(), QueryHelpers.ParseQuery(browser.Location.Query)["r"].ToString() };
        Assert.All(secrets, s => Assert.True(s.Length >= 16, "each value is a real one"));

        var lines = app.Logs.Lines.ToList();
        foreach (var secret in secrets.Concat(secrets.Select(Uri.EscapeDataString)).Distinct())
        {
            var leaks = lines.Where(line => line.Contains(secret, StringComparison.Ordinal)).Select(l => l.Length > 400 ? l[..400] : l).ToList();
            Assert.True(leaks.Count == 0, $"{secret} logged:\n{string.Join('\n', leaks)}");
        }

        // The journey's requests are still logged, one line each, with the names kept and the values masked.
        Assert.Contains(lines, l => l.Contains("/link/oauth/callback/sbbk", StringComparison.Ordinal) && l.Contains("code=***", StringComparison.Ordinal)
            && l.Contains("state=***", StringComparison.Ordinal) && l.Contains("StatusCode: 302", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("/link/done", StringComparison.Ordinal) && l.Contains("r=***", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(RequestLogging.FrameworkCategory, StringComparison.Ordinal) && l.StartsWith("Information", StringComparison.Ordinal));
        // The pages' own no-cache headers are the ones antiforgery wants, so it does not warn on every page with a form.
        Assert.DoesNotContain(lines, l => l.Contains("Microsoft.AspNetCore.Antiforgery", StringComparison.Ordinal) && l.StartsWith("Warning", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("code", "4/0AbCdEf", true)]
    [InlineData("STATE", "x", true)]
    [InlineData("ticket", "t", true)]
    [InlineData("access_token", "a", true)]
    [InlineData("client_secret", "s", true)]
    [InlineData("anything", "CfDJ8Nf0aB3xYz12_-kLmNoPqRsTuVwXyZ", true)]
    [InlineData("query", "dataConnections.status=PendingAuth", false)]
    [InlineData("connectionId", "7f1b3c9e-8d2a-4c5b-9e6f-0a1b2c3d4e5f", false)]
    [InlineData("pageSize", "100", false)]
    [InlineData("step", "connect", false)]
    public void QueryValues_AreMasked_WhenSecretByNameOrShape(string name, string value, bool masked) =>
        Assert.Equal(masked, QueryMasking.IsSecret(name, value));

    [Fact]
    public void MaskUrl_MasksTheQueryValues_AndDropsTheFragment() =>
        Assert.Equal("https://p.example/authorize?client_id=consentry-local&state=***",
            QueryMasking.MaskUrl("https://p.example/authorize?client_id=consentry-local&state=abc#accessToken=xyz"));
}
