using Consentry.Core.Connections;
using Consentry.Core.Integrations;
using Consentry.Core.Link;
using Consentry.Features.Integrations;
using Consentry.Features.Link;
using Consentry.Features.Link.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Consentry.Pages.Link;

/// <summary>
/// The company Link (<c>/link/company/{companyId}</c>, Codat's <c>Company.redirect</c>): landing page, then each category
/// (accounting, banking, commerce as the client set them): pick an integration (searchable, with logos), upload files
/// instead where enabled, or skip an optional one; then complete.
/// </summary>
public sealed class CompanyModel(
    LinkJourney journey, OAuthHandOff handOff, LinkUploads linkUploads, PlatformRequestWriter platformRequests, LinkConsents consents) : LinkPageModel
{
    /// <summary>The consent step for a chosen platform (shown before the hand-off).</summary>
    public (IntegrationDefinition Integration, RenderedConsent Text)? Consent { get; private set; }

    /// <summary>The additional consent asked for a Linked connection when the company uses a product it was not consented for.</summary>
    public (Connection Connection, RenderedConsent Text)? Additional { get; private set; }

    public bool ConsentChanged { get; private set; }

    public bool Landing { get; private set; }

    public IReadOnlyList<CategoryView> Categories { get; private set; } = [];

    public string? Search { get; private set; }

    public string? Notice { get; private set; }

    /// <summary>The category whose "can't find yours?" request was just sent: it shows the thank-you there.</summary>
    public string? Requested { get; private set; }

    /// <summary>The required categories not connected or uploaded yet: the reason Complete is not available.</summary>
    public IReadOnlyList<CategoryView> Missing => [.. Categories.Where(c => !c.Satisfied && !c.Settings.Optional)];

    /// <summary>Optional categories never block completing: leaving one out is skipping it.</summary>
    public bool CanComplete => Missing.Count == 0;

    public static string Logo(string platformKey) => BrandingImages.PathOf(platformKey, "logo-square");

    public async Task<IActionResult> OnGetAsync(Guid companyId, string? step, string? q, int? result, string? requested, CancellationToken ct)
    {
        if (await LoadAsync(companyId, ct) is { } missing)
        {
            return missing;
        }

        Landing = Settings.ShowLandingPage && step != "connect";
        await journey.RecordAsync(companyId, Landing ? JourneyStep.Opened : JourneyStep.ConsentViewed, ct: ct);
        Search = q is { Length: <= 100 } ? q.Trim() : null;
        Notice = result switch
        {
            200 => "Connected.",
            403 => "You cancelled: nothing was shared. Choose again or skip.",
            >= 400 => "That connection could not be completed. Please try again.",
            _ => null,
        };
        await BuildAsync(ct);
        Requested = Categories.FirstOrDefault(c => c.Key == requested)?.Key;
        if (!Landing && Request.Query["additional"] != "later")
        {
            Additional = await AdditionalAsync(ct);
        }

        SecureHeaders();
        return Page();
    }

    /// <summary>The customer confirms sharing more data from a Linked connection for the company's new products (no new sign-in).</summary>
    public async Task<IActionResult> OnPostAdditionalAsync(Guid companyId, Guid connectionId, string? consentHash, CancellationToken ct)
    {
        if (await LoadAsync(companyId, ct) is { } missing)
        {
            return missing;
        }

        if (await journey.PendingAdditionalAsync(companyId, connectionId, ct) is not { } pending)
        {
            return Redirect($"/link/company/{companyId}?step=connect");
        }

        var shown = ConsentTextWriter.ForAdditional(Settings, BrandName, Link!.Company, pending.Connection.PlatformName, pending.Products);
        var capture = await consents.AcceptAsync(Link, shown, consentHash, HttpContext, ct);
        if (capture is null)
        {
            await BuildAsync(ct);
            Additional = (pending.Connection, shown);
            ConsentChanged = true;
            SecureHeaders();
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        await journey.ConfirmAdditionalAsync(connectionId, pending.Products, capture, ct);
        return Redirect($"/link/company/{companyId}?step=connect&result=200");
    }

    private async Task<(Connection, RenderedConsent)?> AdditionalAsync(CancellationToken ct)
    {
        return await journey.PendingAdditionalAsync(Link!.Company.Id, null, ct) is { } pending
            ? (pending.Connection, ConsentTextWriter.ForAdditional(Settings, BrandName, Link.Company, pending.Connection.PlatformName, pending.Products))
            : null;
    }

    public async Task<IActionResult> OnPostChooseAsync(Guid companyId, string platformKey, CancellationToken ct)
    {
        if (await LoadAsync(companyId, ct) is { } missing)
        {
            return missing;
        }

        await BuildAsync(ct);
        if (Offered(platformKey) is not { } integration)
        {
            return ErrorPage(StatusCodes.Status400BadRequest, "That integration is not available here.");
        }

        var connection = await journey.ChooseAsync(Link!, integration, ct);
        if (!connection.IsSuccess)
        {
            return ErrorPage(StatusCodes.Status400BadRequest, connection.Error!);
        }

        Consent = (integration, await consents.ForLinkAsync(Link!, BrandName, integration, ct));
        SecureHeaders();
        return Page();
    }

    /// <summary>The customer agreed to the consent for the chosen platform: start its sign-in, carrying that agreement.</summary>
    public async Task<IActionResult> OnPostAuthorizeAsync(Guid companyId, string platformKey, string? consentHash, CancellationToken ct)
    {
        if (await LoadAsync(companyId, ct) is { } missing)
        {
            return missing;
        }

        await BuildAsync(ct);
        if (Offered(platformKey) is not { } integration)
        {
            return ErrorPage(StatusCodes.Status400BadRequest, "That integration is not available here.");
        }

        var shown = await consents.ForLinkAsync(Link!, BrandName, integration, ct);
        // Not stored yet: the sign-in's flow stores the text in its own transaction.
        var capture = consents.Agree(shown, consentHash, HttpContext);
        if (capture is null)
        {
            Consent = (integration, shown);
            ConsentChanged = true;
            SecureHeaders();
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        var connection = await journey.ConnectionForAsync(Link!, integration, ct);
        if (!connection.IsSuccess)
        {
            return ErrorPage(StatusCodes.Status400BadRequest, connection.Error!);
        }

        var authorize = await handOff.StartAsync(Link!, connection.Value!, integration, LinkJourneyKind.Company, AppRedirects.CustomParameters(Request.Query), HttpContext, capture, ct,
            consentText: shown);
        return authorize is null ? ErrorPage(StatusCodes.Status400BadRequest, "{0} cannot be connected here.", integration.Name) : Redirect(authorize);
    }

    public async Task<IActionResult> OnPostSkipAsync(Guid companyId, string category, CancellationToken ct)
    {
        if (await LoadAsync(companyId, ct) is { } missing)
        {
            return missing;
        }

        await BuildAsync(ct);
        if (Categories.FirstOrDefault(c => c.Key == category) is not { Settings.Optional: true } view)
        {
            return ErrorPage(StatusCodes.Status400BadRequest, "Only an optional category can be skipped.");
        }

        await journey.RecordAsync(companyId, JourneyStep.CategorySkipped, detail: view.Key, sourceType: view.SourceType, ct: ct);
        return Redirect($"/link/company/{companyId}?step=connect");
    }

    public async Task<IActionResult> OnPostUploadAsync(Guid companyId, string category, IFormFile? file, CancellationToken ct)
    {
        if (await LoadAsync(companyId, ct) is { } missing)
        {
            return missing;
        }

        await BuildAsync(ct);
        if (Categories.FirstOrDefault(c => c.Key == category) is not { Settings.FileUpload: true } view)
        {
            return ErrorPage(StatusCodes.Status400BadRequest, "Files cannot be uploaded for this category.");
        }

        var saved = await linkUploads.SaveAsync(Link!, view.Key, view.SourceType, file, ct);
        if (!saved.IsSuccess)
        {
            return ErrorPage(StatusCodes.Status400BadRequest, saved.Error!);
        }

        return Redirect($"/link/company/{companyId}?step=connect");
    }

    /// <summary>"Can't find yours?": stores the platform the customer uses, then thanks them (still offering the upload).</summary>
    public async Task<IActionResult> OnPostRequestPlatformAsync(Guid companyId, string? category, string? platformName, string? note, CancellationToken ct)
    {
        if (await LoadAsync(companyId, ct) is { } missing)
        {
            return missing;
        }

        await BuildAsync(ct);
        if (Categories.FirstOrDefault(c => c.Key == category) is not { } view)
        {
            return ErrorPage(StatusCodes.Status400BadRequest, "That category is not part of this journey.");
        }

        var saved = await platformRequests.SaveAsync(Link!, view.Key, platformName, note, ct);
        return saved.IsSuccess
            ? Redirect($"/link/company/{companyId}?step=connect&requested={view.Key}#cat-{view.Key}")
            : ErrorPage(StatusCodes.Status400BadRequest, saved.Error!);
    }

    public async Task<IActionResult> OnPostCompleteAsync(Guid companyId, [FromServices] IStringLocalizer<LinkText> text, CancellationToken ct)
    {
        if (await LoadAsync(companyId, ct) is { } missing)
        {
            return missing;
        }

        await BuildAsync(ct);
        if (!CanComplete)
        {
            return ErrorPage(StatusCodes.Status400BadRequest, "To complete, connect {0} first.", text.MissingCategories(Missing.Select(c => (c.Title, c.Settings.FileUpload))));
        }

        await journey.CompleteAsync(companyId, Categories, ct);
        var last = Categories.Select(c => c.Linked).OfType<Connection>().MaxBy(c => c.Created);
        var decision = AppRedirects.Decide(Link!.Client, Link.Company, last, 200, "", AppRedirects.CustomParameters(Request.Query));
        return LinkResults.Redirect(this, decision, 200, null);
    }

    private async Task<IActionResult?> LoadAsync(Guid companyId, CancellationToken ct)
    {
        Link = await journey.LoadAsync(companyId, ct);
        return Link is null ? ErrorPage(StatusCodes.Status404NotFound, LinkPageModel.NotFoundMessage) : null;
    }

    private async Task BuildAsync(CancellationToken ct) =>
        Categories = await journey.CategoriesAsync(Link!, Search, Settings.ShowSandboxIntegrations && Request.Query["link.showSandboxIntegrations"] != "false", ct);

    /// <summary>The integration, when one of this journey's categories offers it.</summary>
    private IntegrationDefinition? Offered(string platformKey) =>
        Categories.SelectMany(c => c.Integrations).FirstOrDefault(i => i.PlatformKey == platformKey);
}
