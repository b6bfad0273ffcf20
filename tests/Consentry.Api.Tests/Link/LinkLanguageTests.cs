using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Features.Link.Localization;

namespace Consentry.Api.Tests.Link;

/// <summary>
/// The Link pages in the customer's language: <c>?locale=</c> (remembered for the journey), then <c>Accept-Language</c>,
/// falling back to English; the client's own texts per locale; the consent ledger records the language and the text shown.
/// </summary>
public abstract partial class LinkLanguageTests(LinkApp app)
{
    private readonly HttpClient _api = app.Beta();

    [Fact]
    public async Task Language_ComesFromTheQuery_ThenStaysForTheJourney_ElseAcceptLanguage_ElseEnglish()
    {
        await ConfigureAsync();
        var companyId = await _api.CreateCompanyAsync("Langue Ltd");
        using var browser = app.Browser();

        await browser.GoAsync($"/link/company/{companyId}?locale=fr");
        var html = WebUtility.HtmlDecode(browser.Html);
        Assert.Contains("<html lang=\"fr\">", html, StringComparison.Ordinal);
        Assert.Contains("Partagez les données de votre entreprise avec Beta Lending", html, StringComparison.Ordinal);
        Assert.Contains("Sécurisé par Consentry", html, StringComparison.Ordinal);

        // The page's own links drop the query: the language stays for the rest of the journey.
        await browser.GoAsync($"/link/company/{companyId}?step=connect");
        Assert.Contains("Connectez votre entreprise", browser.Html, StringComparison.Ordinal);
        Assert.Contains("Rechercher une intégration", WebUtility.HtmlDecode(browser.Html), StringComparison.Ordinal);
        Assert.Contains("Pour terminer, connectez : comptabilité et banque (ou importez des fichiers).", WebUtility.HtmlDecode(browser.Html), StringComparison.Ordinal);

        Assert.Contains("Teilen Sie Ihre Unternehmensdaten mit Beta Lending", await PageAsync($"/link/company/{companyId}", "de-CH,de;q=0.9,en;q=0.5"), StringComparison.Ordinal);
        Assert.Contains("Comparta los datos de su empresa con Beta Lending", await PageAsync($"/link/company/{companyId}", "es"), StringComparison.Ordinal);
        Assert.Contains("Deel uw bedrijfsgegevens met Beta Lending", await PageAsync($"/link/company/{companyId}?locale=nl-BE", "fr"), StringComparison.Ordinal);
        var japanese = await PageAsync($"/link/company/{companyId}", "ja");
        Assert.Contains("Share your business data with Beta Lending", japanese, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", japanese, StringComparison.Ordinal);
        Assert.Contains("Share your business data with Beta Lending", await PageAsync($"/link/company/{companyId}?locale=xx", null), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientTexts_PerLocale_FallBackTextByText_AndUnknownLocalesAreRefused()
    {
        await ConfigureAsync(localized: true);
        var saved = await _api.GetAsync("/settings/link").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Obtenez votre prêt plus vite", saved["localizedTexts"]!["fr"]!["landingTitle"]!.GetValue<string>());
        Assert.Equal("https://beta.example/privacy", saved["privacyPolicyUrl"]!.GetValue<string>());
        var companyId = await _api.CreateCompanyAsync("Textes Ltd");

        var french = WebUtility.HtmlDecode(await PageAsync($"/link/company/{companyId}?locale=fr", null));
        Assert.Contains("Obtenez votre prêt plus vite", french, StringComparison.Ordinal);
        Assert.Contains("Une décision en quelques minutes", french, StringComparison.Ordinal);
        Assert.Contains("Get a decision in minutes, not days.", french, StringComparison.Ordinal); // the subtitle has no French text: the default language's
        Assert.Contains("Politique de confidentialité", french, StringComparison.Ordinal);
        Assert.Contains("href=\"https://beta.example/privacy\"", french, StringComparison.Ordinal);

        var english = WebUtility.HtmlDecode(await PageAsync($"/link/company/{companyId}", "en-GB"));
        Assert.Contains("Get your loan faster", english, StringComparison.Ordinal);
        Assert.Contains("A decision in minutes", english, StringComparison.Ordinal);
        Assert.Contains("Privacy policy", english, StringComparison.Ordinal);

        await _api.PutJsonAsync("/settings/link", Settings(localizedTexts: new Dictionary<string, object> { ["xx"] = new { landingTitle = "?" } }))
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "'xx' is not a supported locale");
        await _api.PutJsonAsync("/settings/link", Settings(privacyPolicyUrl: "http://beta.example/privacy"))
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "privacyPolicyUrl must be an absolute https URL");
    }

    [Fact]
    public async Task Ledger_RecordsTheLanguage_AndTheExactTextShown_WithDataTypeLabels()
    {
        await ConfigureAsync();
        var companyId = await _api.CreateCompanyAsync("Registre Ltd");
        var connection = await _api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbac" }).ExpectAsync(HttpStatusCode.OK);
        using var browser = app.Browser();

        await browser.GoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery + "?locale=fr");
        var shown = WebUtility.HtmlDecode(ConsentTextElement().Match(browser.Html).Groups[1].Value);
        Assert.Contains("Données partagées : Profil de l'entreprise, Plan comptable", shown, StringComparison.Ordinal);
        Assert.Contains("Vous pouvez retirer ce consentement à tout moment.", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("chartOfAccounts", shown, StringComparison.Ordinal);
        Assert.Contains("La liste des comptes utilisés par votre comptabilité", WebUtility.HtmlDecode(browser.Html), StringComparison.Ordinal);
        await browser.SubmitAsync("handler=Continue");
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = "user_good+" + Guid.NewGuid().ToString("N")[..12], ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/accept");

        var ledger = (await _api.GetAsync($"/companies/{companyId}/consents").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray();
        var record = Assert.Single(ledger)!;
        Assert.Equal("fr", record["language"]!.GetValue<string>());
        Assert.Equal(shown, record["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task ConsentVersion_RisesWhenTheConsentWordingChangesInAnyLanguage_AndOnlyThen()
    {
        await ConfigureAsync();
        async Task<int> SaveAsync(Dictionary<string, object> localizedTexts) =>
            (await _api.PutJsonAsync("/settings/link", Settings(localizedTexts: localizedTexts)).ExpectAsync(HttpStatusCode.OK))["texts"]!["consentVersion"]!.GetValue<int>();
        var start = (await _api.GetAsync("/settings/link").ExpectAsync(HttpStatusCode.OK))["texts"]!["consentVersion"]!.GetValue<int>();

        Assert.Equal(start + 1, await SaveAsync(new() { ["fr"] = new { consentPurpose = "Évaluer votre demande de prêt." } }));
        Assert.Equal(start + 1, await SaveAsync(new() { ["fr"] = new { consentPurpose = "Évaluer votre demande de prêt.", landingTitle = "Bienvenue" } }));
        Assert.Equal(start + 2, await SaveAsync(new() { ["fr"] = new { consentPurpose = "Évaluer votre demande de prêt." }, ["de"] = new { consentRetention = "Zwölf Monate." } }));
        Assert.Equal(start + 3, await SaveAsync(new() { ["de"] = new { consentRetention = "Zwölf Monate." } })); // French readers now see the default purpose
        Assert.Equal(start + 3, (await _api.GetAsync("/settings/link").ExpectAsync(HttpStatusCode.OK))["texts"]!["consentVersion"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("en")]
    [InlineData("fr")]
    [InlineData("de")]
    [InlineData("es")]
    [InlineData("nl")]
    public void EveryDataTypeOfTheCatalogue_HasALabelAndAnExplanation_InEveryLanguage(string locale)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = LinkCultures.Create(locale);
        try
        {
            var dataTypes = app.Service<Consentry.Core.Integrations.IntegrationCatalogue>().All
                .SelectMany(i => i.DataTypes.Select(d => d.DataType)).Distinct().ToList();
            Assert.NotEmpty(dataTypes);
            foreach (var dataType in dataTypes)
            {
                Assert.False(DataTypeLabels.Help(dataType) is null, $"{dataType} has no explanation in {locale}");
                Assert.NotEqual(dataType, DataTypeLabels.Label(dataType));
            }
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private async Task<string> PageAsync(string url, string? acceptLanguage)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private async Task ConfigureAsync(bool localized = false)
    {
        await _api.PutJsonAsync("/profile", new { name = "Beta", redirectUrl = "https://beta.example/back?status={statusCode}", whiteListUrls = new[] { "https://beta.example" } })
            .ExpectAsync(HttpStatusCode.OK);
        await _api.PutJsonAsync("/settings/link", localized
            ? Settings(privacyPolicyUrl: "https://beta.example/privacy", localizedTexts: new Dictionary<string, object>
            {
                ["fr"] = new { landingTitle = "Obtenez votre prêt plus vite", valueExchange = "Une décision en quelques minutes\nUn meilleur taux" },
            })
            : Settings()).ExpectAsync(HttpStatusCode.OK);
    }

    private static object Settings(string? privacyPolicyUrl = null, Dictionary<string, object>? localizedTexts = null) => new
    {
        companyName = "Beta Lending",
        privacyPolicyUrl,
        categories = new { accounting = new { enabled = true }, banking = new { enabled = true, fileUpload = true }, commerce = new { enabled = true, optional = true } },
        texts = localizedTexts is null ? (object)new { } : new { landingTitle = "Get your loan faster", landingSubtitle = "Get a decision in minutes, not days.", valueExchange = "A decision in minutes\nA better rate" },
        localizedTexts = localizedTexts ?? [],
    };

    [GeneratedRegex("<div id=\"consent-text\" class=\"consent-text\">(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex ConsentTextElement();
}

public sealed class LinkLanguageTests_Sqlite(SqliteLinkApp app) : LinkLanguageTests(app), IClassFixture<SqliteLinkApp>;

public sealed class LinkLanguageTests_Postgres(PostgresLinkApp app) : LinkLanguageTests(app), IClassFixture<PostgresLinkApp>;
