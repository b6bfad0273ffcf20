using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consentry.Browser.Tests.Link;

/// <summary>
/// The company Link in English and French, on a desktop, in the SDK's 460×840 frame and on a 360-wide phone: each page
/// is in the chosen language, fits the width without scrolling sideways, and is saved to <c>docs/images/</c> for docs/link.md.
/// </summary>
public sealed class LinkLanguagesBrowserTests(SqliteLinkApp app, Chromium chromium, AppSite site)
    : LinkBrowserTest(app, chromium, site), IClassFixture<SqliteLinkApp>, IClassFixture<Chromium>, IClassFixture<AppSite>
{
    public static TheoryData<string, string, int, int> Sizes => new()
    {
        { "en", "desktop", 1280, 860 }, { "en", "phone", 360, 740 }, { "en", "frame", 460, 840 },
        { "fr", "desktop", 1280, 860 }, { "fr", "phone", 360, 740 }, { "fr", "frame", 460, 840 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task CompanyLink_InTheChosenLanguage_FitsTheScreen_AndIsPhotographedForTheDocs(string locale, string device, int width, int height)
    {
        var french = locale == "fr";
        await UseRedirectAsync("/finished");
        await Api.PutJsonAsync("/settings/link", new
        {
            companyName = "CoPay", supportUrl = "https://copay.example/help", privacyPolicyUrl = "https://copay.example/privacy",
            categories = new { accounting = new { enabled = true }, banking = new { enabled = true, fileUpload = true }, commerce = new { enabled = true, optional = true } },
            texts = new { valueExchange = "A lending decision in minutes, not weeks\nA better rate when your books are up to date\nNo documents to scan or email" },
            localizedTexts = new Dictionary<string, object>
            {
                ["fr"] = new { valueExchange = "Une décision de prêt en quelques minutes\nUn meilleur taux si votre comptabilité est à jour\nAucun document à scanner ni à envoyer" },
            },
        }).ExpectAsync(HttpStatusCode.OK);
        var companyId = await Api.CreateCompanyAsync("Boulangerie Martin");
        var tab = await OpenTabAsync(width, height);

        await tab.GotoAsync($"/link/company/{companyId}?locale={locale}");
        await Expect(tab.Page.Locator("html")).ToHaveAttributeAsync("lang", locale);
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 }))
            .ToHaveTextAsync(french ? "Partagez les données de votre entreprise avec CoPay" : "Share your business data with CoPay");
        await Expect(tab.Page.Locator(".value")).ToContainTextAsync(french ? "Une décision de prêt en quelques minutes" : "A lending decision in minutes");
        await Expect(tab.Page.Locator(".trust")).ToContainTextAsync(french ? "Politique de confidentialité" : "Privacy policy");
        await ShootAsync(tab, "landing", locale, device);

        // Connect accounting through the sandbox: the progress then says one of three is done (from the database).
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Link, new() { Name = french ? "Commencer" : "Get started" }), u => u.Contains("step=connect", StringComparison.Ordinal));
        await Expect(tab.Page.Locator("#progress")).ToContainTextAsync(french ? "0 sur 3 connecté(s)" : "0 of 3 connected");
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Consentry Sandbox Accounting" }), u => u.Contains("handler=Choose", StringComparison.Ordinal));
        await Expect(tab.Page.Locator("#consent-text")).ToContainTextAsync(french ? "Données partagées : Profil de l'entreprise, Plan comptable" : "Data shared: Company profile, Chart of accounts");
        await Expect(tab.Page.Locator(".data-types")).ToContainTextAsync(french ? "Plan comptable" : "Chart of accounts");
        await ShootAsync(tab, "consent", locale, device);
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = french ? "Continuer vers Consentry Sandbox Accounting" : "Continue to Consentry Sandbox Accounting" }), IsAuthorize);
        await SignInAsync(tab, "user_good", "pass_good");
        await AllowAsync(tab, u => u.Contains($"/link/company/{companyId}", StringComparison.Ordinal));
        await Expect(tab.Page.Locator("#progress")).ToContainTextAsync(french ? "1 sur 3 connecté(s)" : "1 of 3 connected");
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(french ? "Connectez votre entreprise" : "Connect your business");
        await ShootAsync(tab, "connect", locale, device);

        // A reload keeps the progress and the language.
        await tab.GotoAsync($"/link/company/{companyId}?step=connect");
        await Expect(tab.Page.Locator("#progress")).ToContainTextAsync(french ? "1 sur 3 connecté(s)" : "1 of 3 connected");
    }

    /// <summary>Checks the page does not scroll sideways at this width, then saves it as docs/images/link-{page}-{locale}-{device}.png.</summary>
    private static async Task ShootAsync(LinkTab tab, string page, string locale, string device)
    {
        var overflow = await tab.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{page} in {locale} scrolls sideways by {overflow}px on the {device}");
        await tab.Page.ScreenshotAsync(new() { Path = Path.Combine(DocsImages(), $"link-{page}-{locale}-{device}.png"), FullPage = true });
    }

    private static string DocsImages()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Consentry.slnx")))
        {
            root = root.Parent ?? throw new InvalidOperationException("The repository root (Consentry.slnx) was not found.");
        }

        return Directory.CreateDirectory(Path.Combine(root.FullName, "docs", "images")).FullName;
    }
}
