using Consentry.Api.Tests.Platforms.Credentials;
using Consentry.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consentry.Browser.Tests.Platforms;

/// <summary>
/// Stripe's restricted-key form in chromium, on a desktop and a phone: chosen beside "Continue to Stripe", a wrong key is
/// refused with an announced message and the field left empty, the right key links and the customer is back in the app.
/// </summary>
public sealed class CredentialFormBrowserTests(SqliteCredentialsApp app, Chromium chromium, AppSite site)
    : LinkBrowserTest(app, chromium, site), IClassFixture<SqliteCredentialsApp>, IClassFixture<Chromium>, IClassFixture<AppSite>
{
    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task RestrictedKey_WrongThenRight_LinksAndReturnsToTheApp(int width, int height)
    {
        await UseRedirectAsync("/done?status={statusCode}");
        var (companyId, connectionId, linkPath) = await NewConnectionAsync("exgd");
        var tab = await OpenTabAsync(width, height);
        await tab.GotoAsync(linkPath);

        await Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Continue to Stripe" })).ToBeVisibleAsync();
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Use a restricted API key" }), u => u.Contains("/credentials", StringComparison.Ordinal));
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Use a restricted API key" })).ToBeVisibleAsync();
        var key = tab.Page.GetByRole(AriaRole.Textbox, new() { Name = "Restricted API key" });
        await Expect(key).ToHaveAttributeAsync("type", "password");
        await Expect(key).ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex("^Starts with rk_live_"));

        var wrongKey = "rk_test_51Wrong" + Guid.NewGuid().ToString("N");
        await key.FillAsync(wrongKey);
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Connect Stripe" }), u => u.Contains("handler=Link", StringComparison.Ordinal));
        await Expect(tab.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Stripe did not accept this key.");
        await AxeAssert.NoSeriousViolationsAsync(tab.Page, "credentials form with an error");
        await Expect(key).ToHaveValueAsync("");
        await Expect(key).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.DoesNotContain(tab.Html, html => html.Contains(wrongKey, StringComparison.Ordinal));
        Assert.True(await tab.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the form fits the screen");

        await key.FillAsync(CredentialsApp.GoodKey);
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Connect Stripe" }), IsApp);

        Assert.Equal("200", tab.Query("status"));
        Assert.Equal("Linked", await ApiStatusAsync(companyId, connectionId));
        Assert.DoesNotContain(tab.Html, html => html.Contains(CredentialsApp.GoodKey, StringComparison.Ordinal));
        Assert.True(tab.Errors.Count == 0, string.Join("\n", tab.Errors));
    }
}
