using Consentry.Core.Connections;
using Consentry.Core.Integrations;
using Consentry.Core.Link;
using Consentry.Features.Link;
using Consentry.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Link;

/// <summary>
/// A connection's <c>linkUrl</c>: the consent summary (and a platform's pre-step), then the hand-off to the platform's
/// OAuth page. Re-opening it for a connection that is already Linked returns to the app with statusCode 201.
/// </summary>
public sealed class StartModel(LinkJourney journey, OAuthHandOff handOff, IntegrationCatalogue catalogue, LinkConsents consents, CredentialLinks credentials)
    : LinkPageModel
{
    /// <summary>The platform also takes credentials (a Stripe restricted key): offered beside its sign-in.</summary>
    public CredentialsForm? CredentialsForm => Connection is null ? null : credentials.FormFor(Connection.PlatformKey);

    /// <summary>The consent text shown (and recorded when the customer continues).</summary>
    public RenderedConsent? Consent { get; private set; }

    /// <summary>The consent text changed between showing and agreeing: it is shown again.</summary>
    public bool ConsentChanged { get; private set; }

    public Connection? Connection { get; private set; }

    public IntegrationDefinition? Integration { get; private set; }

    public string? AccountError { get; private set; }

    public string LogoUrl => Features.Integrations.BrandingImages.PathOf(Connection!.PlatformKey, "logo-square");

    public async Task<IActionResult> OnGetAsync(Guid companyId, Guid connectionId, CancellationToken ct)
    {
        if (await LoadAsync(companyId, connectionId, ct) is { } missing)
        {
            return missing;
        }

        // One save for the page: Opened, and ConsentViewed when the consent is what it shows.
        journey.Note(companyId, JourneyStep.Opened, Connection);
        if (Connection!.Status == ConnectionStatus.Linked)
        {
            await journey.SaveAsync(ct);
            // Codat: running the journey again for a linked connection answers 201 (success, nothing new).
            return ReturnToApp(201, "");
        }

        if (Integration?.OAuth is null && CredentialsForm is not null)
        {
            await journey.SaveAsync(ct);
            // A platform that only takes credentials has no sign-in to continue to: its form is the journey.
            return Redirect($"{Request.Path.Value![..^"/start".Length]}/credentials{Request.QueryString}");
        }

        journey.Note(companyId, JourneyStep.ConsentViewed, Connection);
        await journey.SaveAsync(ct);
        SecureHeaders();
        return Page();
    }

    /// <summary>The agreement to the text this request shows, not stored yet: the sign-in's flow stores it in its own transaction.</summary>
    private async Task<Core.Consents.ConsentCapture?> AgreedConsentAsync(CancellationToken ct)
    {
        if (Integration is null)
        {
            return null;
        }

        // LoadAsync already rendered the text this request would show; the posted hash must be of that text.
        Consent ??= await consents.ForLinkAsync(Link!, BrandName, Integration, ct);
        return consents.Agree(Consent, Request.Form["consentHash"], HttpContext);
    }

    public async Task<IActionResult> OnPostContinueAsync(Guid companyId, Guid connectionId, CancellationToken ct)
    {
        if (await LoadAsync(companyId, connectionId, ct) is { } missing)
        {
            return missing;
        }

        if (Connection!.Status == ConnectionStatus.Linked)
        {
            return ReturnToApp(201, "");
        }

        var consent = await AgreedConsentAsync(ct);
        if (consent is null && Integration is not null)
        {
            ConsentChanged = true;
            SecureHeaders();
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        // Pre-step: platforms whose authorization URL is per account (a Shopify shop, a NetSuite account) ask for it first.
        Dictionary<string, string>? account = null;
        if (Integration?.AccountParameter is { } parameter)
        {
            var input = Request.Form[parameter].ToString();
            var typed = input.Trim().ToLowerInvariant();
            // A Shopify shop may be typed as acme, acme.myshopify.com or the admin's URL; only the subdomain is kept.
            var value = parameter == "shop" ? Connectors.Platforms.Shopify.ShopifyShop.Normalize(input)
                : System.Text.RegularExpressions.Regex.IsMatch(typed, "^[a-z0-9][a-z0-9-]{0,62}$") ? typed : null;
            if (value is null)
            {
                AccountError = parameter == "shop"
                    ? $"Enter your {Integration.Name} shop as its name (acme), its myshopify.com address (acme.myshopify.com) or its admin URL; other addresses are not accepted."
                    : $"Enter your {Integration.Name} {parameter} (letters, digits and dashes).";
                SecureHeaders();
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }

            account = new Dictionary<string, string> { [parameter] = value };
        }

        var authorize = Integration is null ? null
            : await handOff.StartAsync(Link!, Connection, Integration, LinkJourneyKind.Connection, AppRedirects.CustomParameters(Request.Query), HttpContext, consent, ct, account, Consent);
        return authorize is null
            ? ReturnToApp(501, $"{Connection.PlatformName} cannot be connected here.")
            : Redirect(authorize);
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid companyId, Guid connectionId, CancellationToken ct)
    {
        if (await LoadAsync(companyId, connectionId, ct) is { } missing)
        {
            return missing;
        }

        await journey.RecordAsync(companyId, JourneyStep.Failed, Connection, "cancelled", ct: ct);
        return ReturnToApp(403, "The customer cancelled before signing in.");
    }

    private async Task<IActionResult?> LoadAsync(Guid companyId, Guid connectionId, CancellationToken ct)
    {
        (Link, Connection) = await journey.LoadAsync(companyId, connectionId, ct);
        if (Connection is null)
        {
            return ErrorPage(StatusCodes.Status404NotFound, LinkPageModel.NotFoundMessage);
        }

        Integration = catalogue.Find(Connection.PlatformKey);
        Consent = Integration is null ? null : await consents.ForLinkAsync(Link!, BrandName, Integration, ct);
        return null;
    }

    private IActionResult ReturnToApp(int statusCode, string statusText)
    {
        var decision = AppRedirects.Decide(Link!.Client, Link.Company, Connection, statusCode, statusText, AppRedirects.CustomParameters(Request.Query));
        return LinkResults.Redirect(this, decision, statusCode, Connection);
    }
}
