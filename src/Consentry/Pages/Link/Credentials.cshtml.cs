using Consentry.Core.Connections;
using Consentry.Core.Errors;
using Consentry.Core.Integrations;
using Consentry.Core.Link;
using Consentry.Features.Link;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Link;

/// <summary>
/// The credential form of a connection whose platform takes an API key (the catalogue's <c>credentials</c>): the
/// consent summary and the fields, checked against the platform before anything is stored. A refusal shows the
/// platform's reason with the fields empty again (a secret is never written back into the page).
/// </summary>
public sealed class CredentialsModel(LinkJourney journey, IntegrationCatalogue catalogue, CredentialLinks credentials, LinkConsents consents)
    : LinkPageModel
{
    public Connection? Connection { get; private set; }

    public IntegrationDefinition? Integration { get; private set; }

    public CredentialsForm? Form { get; private set; }

    public RenderedConsent? Consent { get; private set; }

    public bool ConsentChanged { get; private set; }

    /// <summary>Why the platform did not take the credentials (or could not be asked).</summary>
    public ReadableText? FormError { get; private set; }

    /// <summary>Each field's problem, by field name.</summary>
    public IReadOnlyDictionary<string, ReadableText> FieldErrors { get; private set; } = new Dictionary<string, ReadableText>();

    /// <summary>What the customer typed in fields that are not secret, to fill them in again after an error.</summary>
    public IReadOnlyDictionary<string, string> Typed { get; private set; } = new Dictionary<string, string>();

    public string LogoUrl => Features.Integrations.BrandingImages.PathOf(Connection!.PlatformKey, "logo-square");

    public async Task<IActionResult> OnGetAsync(Guid companyId, Guid connectionId, CancellationToken ct)
    {
        if (await LoadAsync(companyId, connectionId, ct) is { } missing)
        {
            return missing;
        }

        if (Connection!.Status == ConnectionStatus.Linked)
        {
            return ReturnToApp(201, "");
        }

        await journey.RecordAsync(companyId, JourneyStep.ConsentViewed, Connection, ct: ct);
        SecureHeaders();
        return Page();
    }

    public async Task<IActionResult> OnPostLinkAsync(Guid companyId, Guid connectionId, CancellationToken ct)
    {
        if (await LoadAsync(companyId, connectionId, ct) is { } missing)
        {
            return missing;
        }

        if (Connection!.Status == ConnectionStatus.Linked)
        {
            return ReturnToApp(201, "");
        }

        var values = Form!.Fields.ToDictionary(f => f.Name, f => Request.Form[f.Name].ToString(), StringComparer.Ordinal);
        Typed = Form.Fields.Where(f => !f.Secret).ToDictionary(f => f.Name, f => values[f.Name], StringComparer.Ordinal);
        var consent = await consents.AcceptAsync(Link!, Consent!, Request.Form["consentHash"], HttpContext, ct);
        if (consent is null)
        {
            ConsentChanged = true;
            return Again(StatusCodes.Status409Conflict);
        }

        var result = await credentials.LinkAsync(Connection, values, consent, ct);
        switch (result)
        {
            case CredentialLinkResult.Linked linked:
                return await CallbackResults.FinishAsync(this, journey,
                    AuthorizationOutcome.Linked(linked.Connection, LinkJourneyKind.Connection, AppRedirects.CustomParameters(Request.Query)), ct);
            case CredentialLinkResult.Invalid invalid:
                FieldErrors = invalid.FieldErrors;
                return Again(StatusCodes.Status400BadRequest);
            case CredentialLinkResult.Refused refused:
                FormError = ReadableText.Plain(refused.Message);
                return Again(StatusCodes.Status400BadRequest);
            default:
                FormError = ((CredentialLinkResult.Unavailable)result).Text;
                return Again(StatusCodes.Status503ServiceUnavailable);
        }
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid companyId, Guid connectionId, CancellationToken ct)
    {
        if (await LoadAsync(companyId, connectionId, ct) is { } missing)
        {
            return missing;
        }

        await journey.RecordAsync(companyId, JourneyStep.Failed, Connection, "cancelled", ct: ct);
        return ReturnToApp(403, "The customer cancelled before linking.");
    }

    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult Again(int statusCode)
    {
        SecureHeaders();
        Response.StatusCode = statusCode;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid companyId, Guid connectionId, CancellationToken ct)
    {
        (Link, Connection) = await journey.LoadAsync(companyId, connectionId, ct);
        Integration = Connection is null ? null : catalogue.Find(Connection.PlatformKey);
        Form = Connection is null ? null : credentials.FormFor(Connection.PlatformKey);
        if (Connection is null || Integration is null || Form is null)
        {
            return ErrorPage(StatusCodes.Status404NotFound, "The connection it was made for does not exist (or no longer does), or its platform takes no credentials.");
        }

        Consent = await consents.ForLinkAsync(Link!, BrandName, Integration, ct);
        return null;
    }

    private IActionResult ReturnToApp(int statusCode, string statusText)
    {
        var decision = AppRedirects.Decide(Link!.Client, Link.Company, Connection, statusCode, statusText, AppRedirects.CustomParameters(Request.Query));
        return LinkResults.Redirect(this, decision, statusCode, Connection);
    }
}
