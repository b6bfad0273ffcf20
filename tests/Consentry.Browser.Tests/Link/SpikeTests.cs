using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consentry.Browser.Tests.Link;

public sealed class SpikeTests(SqliteLinkApp app, Chromium chromium, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<SqliteLinkApp>, IClassFixture<Chromium>
{
    [Fact]
    public async Task Spike()
    {
        var api = app.Alpha();
        await api.PutJsonAsync("/profile", new { name = "Alpha", redirectUrl = LinkTab.AppOrigin + "/done?status={statusCode}", whiteListUrls = new[] { LinkTab.AppOrigin } }).ExpectAsync(HttpStatusCode.OK);
        var companyId = await api.CreateCompanyAsync("Spike Ltd");
        var connection = await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbac" }).ExpectAsync(HttpStatusCode.OK);
        await using var tab = await LinkTab.OpenAsync(chromium, app.BaseUrl);
        var logs = new List<string>();
        tab.Page.Console += (_, m) => { lock (logs) { logs.Add(m.Type + ": " + m.Text); } };
        tab.Page.Response += (_, r) => { lock (logs) { logs.Add(r.Status + " " + r.Url + " " + (r.Headers.TryGetValue("location", out var l) ? l : "-")); } };
        await tab.GotoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);
        await tab.Page.ScreenshotAsync(new() { Path = "/tmp/spike-consent.png", FullPage = true });
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Continue to Consentry Sandbox Accounting" }), u => u.Contains("/oauth/authorize", StringComparison.Ordinal));
        await tab.Page.GetByLabel("Username").FillAsync("user_good");
        await tab.Page.GetByLabel("Password").FillAsync("pass_good");
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }), u => u.Contains("/oauth/login", StringComparison.Ordinal));
        await Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Allow access" })).ToBeVisibleAsync();
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Allow access" }).ClickAsync();
        try
        {
            await tab.Page.WaitForURLAsync(LinkTab.AppOrigin + "/**", new() { Timeout = 5000 });
        }
        finally
        {
            output.WriteLine(string.Join("\n", tab.Requests));
            output.WriteLine("NAV\n" + string.Join("\n", tab.Navigations));
            output.WriteLine(tab.Page.Url); output.WriteLine(string.Join("\n", logs));
            output.WriteLine(string.Join(" ", (await tab.Context.CookiesAsync()).Select(c => c.Name)));
            await tab.Page.ScreenshotAsync(new() { Path = "/tmp/spike-end.png", FullPage = true });
        }
    }
}
