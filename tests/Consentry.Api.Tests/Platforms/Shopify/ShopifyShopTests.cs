using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Connectors.Platforms.Shopify;

namespace Consentry.Api.Tests.Platforms.Shopify;

/// <summary>
/// The shop-domain pre-step: what a merchant may type (the shop's name, its myshopify.com address or its admin URL) is
/// reduced to the shop; anything else (other hosts, look-alike hosts, paths to other domains, IPs, ports, user info,
/// overlong input) is refused on the Link page with 400 and a clear message, and nobody is sent anywhere.
/// </summary>
public sealed class ShopifyShopTests(SqliteShopifyApp app) : IClassFixture<SqliteShopifyApp>
{
    [Theory]
    [InlineData("acme", "acme")]
    [InlineData("  Acme-Store ", "acme-store")]
    [InlineData("acme.myshopify.com", "acme")]
    [InlineData("ACME.MYSHOPIFY.COM", "acme")]
    [InlineData("https://acme.myshopify.com", "acme")]
    [InlineData("https://acme.myshopify.com/admin", "acme")]
    [InlineData("https://acme.myshopify.com/admin/products?x=1", "acme")]
    [InlineData("acme.myshopify.com/admin", "acme")]
    public void Normalize_AcceptsTheShopInItsUsualForms(string input, string shop) => Assert.Equal(shop, ShopifyShop.Normalize(input));

    [Theory]
    [InlineData("")]
    [InlineData("not a shop!")]
    [InlineData("-acme")]
    [InlineData("evil.com")]
    [InlineData("https://evil.com/acme.myshopify.com")]
    [InlineData("evil.com/acme.myshopify.com")]
    [InlineData("acme.myshopify.com.evil.com")]
    [InlineData("https://acme.myshopify.com@evil.com")]
    [InlineData("https://evil.com@acme.myshopify.com")]
    [InlineData("https://acme.myshopify.com:8443/admin")]
    [InlineData("javascript://acme.myshopify.com")]
    [InlineData("ftp://acme.myshopify.com")]
    [InlineData("127.0.0.1")]
    [InlineData("http://[::1]/")]
    [InlineData("a.b.myshopify.com")]
    [InlineData("myshopify.com")]
    [InlineData("https://acme.myshopify.com\\@evil.com")]
    public void Normalize_RefusesEverythingElse(string input) => Assert.Null(ShopifyShop.Normalize(input));

    [Fact]
    public void Normalize_RefusesOverlongInput()
    {
        Assert.Null(ShopifyShop.Normalize(new string('a', 64)));
        Assert.Null(ShopifyShop.Normalize("https://acme.myshopify.com/" + new string('a', 300)));
        Assert.Equal(new string('a', 63), ShopifyShop.Normalize(new string('a', 63)));
    }

    [Theory]
    [InlineData("evil.com")]
    [InlineData("https://evil.com/acme.myshopify.com")]
    [InlineData("127.0.0.1")]
    [InlineData("https://acme.myshopify.com@evil.com/admin")]
    public async Task LinkPage_RefusesAnotherHost_With400_AndDoesNotRedirect(string input)
    {
        var api = app.Alpha();
        var companyId = await api.CreateCompanyAsync("Pre-step Ltd");
        var connection = await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = ShopifyApp.Key }).ExpectAsync(HttpStatusCode.OK);
        using var browser = app.Browser();
        await browser.GoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);
        await browser.SubmitAsync("handler=Continue", new() { ["shop"] = input });

        Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
        Assert.Contains("Enter your Shopify shop", browser.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(browser.Visited, u => u.AbsolutePath.Contains("/simulators/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LinkPage_SendsTheAdminUrlsShop_ToThatShopsAuthorizePage()
    {
        var shop = ShopifyApp.NewShop();
        var (_, _, browser) = await app.StartAsync($"https://{shop}.myshopify.com/admin");
        using (browser)
        {
            var authorize = browser.Visited.Last(u => u.AbsolutePath.EndsWith("/oauth/authorize", StringComparison.Ordinal));
            Assert.Equal($"{ShopifyApp.Simulator}/shops/{shop}/admin/oauth/authorize", authorize.AbsolutePath);
            Assert.Contains("Install Consentry", browser.Html, StringComparison.Ordinal);
        }
    }
}
