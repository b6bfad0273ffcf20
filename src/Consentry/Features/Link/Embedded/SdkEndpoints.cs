using Consentry.Core.Connections;
using Consentry.Core.Errors;
using Consentry.Core.Integrations;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Features.Connections;
using Consentry.Features.Integrations;
using Consentry.Features.Settings;
using Consentry.Features.Webhooks;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Link.Embedded;

/// <summary>
/// The JSON endpoints behind the Link SDK's embedded journey and its Connections component, authenticated by the
/// company access token (never an API key) and limited to the client's CORS allowed origins. The domain steps stay in
/// <see cref="LinkJourney"/> and the Connections feature.
/// </summary>
public static class SdkEndpoints
{
    public static WebApplication MapLinkSdkApi(this WebApplication app)
    {
        var sdk = app.MapGroup("/link/api/companies/{companyId:guid}").ExcludeFromDescription();
        sdk.MapMethods("/{**path}", [HttpMethods.Options], (Delegate)SdkAccessFilter.PreflightAsync);

        var api = sdk.MapGroup("").AddEndpointFilter<SdkAccessFilter>().AddEndpointFilter<SdkErrorLanguage>();
        api.MapGet("/journey", Journey);
        api.MapGet("/connections", ListConnections);
        api.MapPost("/connections", Connect);
        api.MapGet("/connections/{connectionId:guid}", GetConnection);
        api.MapPatch("/connections/{connectionId:guid}", Unlink);
        api.MapPost("/connections/{connectionId:guid}/authorize", Reauthorize);
        api.MapGet("/connections/{connectionId:guid}/impact", Consents.ConsentsEndpoints.Impact);
        api.MapDelete("/connections/{connectionId:guid}/consents/{productIdentifier}", RevokeConsent);
        api.MapPost("/connections/{connectionId:guid}/consents", ConfirmAdditional);
        api.MapPost("/events", RecordEvent);
        api.MapPost("/files", Upload).DisableAntiforgery(); // a bearer token, not a cookie, authenticates it: nothing to forge
        return app;
    }

    private static async Task<Ok<SdkJourneyView>> Journey(HttpContext http, SdkJourneyReader reader, CancellationToken ct) =>
        TypedResults.Ok(await reader.ReadAsync(SdkAccessFilter.Of(http), ct));

    private static async Task<Ok<IReadOnlyList<SdkConnection>>> ListConnections(
        Guid companyId, ConsentryDbContext db, ConnectionImpacts impacts, ConsentLedger ledger, CancellationToken ct)
    {
        var connections = await db.Connections.AsNoTracking().Where(c => c.CompanyId == companyId)
            .OrderBy(c => c.Created).ThenBy(c => c.Id).ToListAsync(ct);
        var views = new List<SdkConnection>(connections.Count);
        foreach (var connection in connections)
        {
            views.Add(await ToViewAsync(connection, impacts, db, ledger, ct));
        }

        return TypedResults.Ok<IReadOnlyList<SdkConnection>>(views);
    }

    private static async Task<Results<Ok<SdkConnection>, CodatError>> GetConnection(
        Guid companyId, Guid connectionId, ConsentryDbContext db, ConnectionImpacts impacts, ConsentLedger ledger, CancellationToken ct)
    {
        var found = await db.FindConnectionAsync(companyId, connectionId, track: false, ct);
        return found.IsSuccess ? TypedResults.Ok(await ToViewAsync(found.Value!, impacts, db, ledger, ct)) : new CodatError(found.Error!);
    }

    /// <summary>Disconnect: the Platform API's unlink (<c>PATCH {status: Unlinked}</c>), with its rules and webhook.</summary>
    private static async Task<Results<Ok<SdkConnection>, CodatError>> Unlink(
        Guid companyId, Guid connectionId, UpdateConnectionStatusRequest? body, ConsentryDbContext db, ConnectionLifecycle lifecycle,
        ConnectionImpacts impacts, ConsentLedger consents, HttpContext http, CancellationToken ct)
    {
        var unlinked = await UnlinkConnection.UnlinkAsync(companyId, connectionId, body, db, lifecycle,
            ConsentActorInfo.From(http, Core.Consents.ConsentActor.Customer), ct);
        return unlinked.IsSuccess ? TypedResults.Ok(await ToViewAsync(unlinked.Value!, impacts, db, consents, ct)) : new CodatError(unlinked.Error!);
    }

    /// <summary>
    /// Pick a platform: reuses the company's pending (or consent-expired) connection to it, or creates one
    /// (<see cref="LinkJourney.ChooseAsync"/>); answers the URL that starts the sign-in.
    /// </summary>
    private static async Task<Results<Ok<SdkAuthorization>, CodatError>> Connect(
        SdkConnectRequest? body, HttpContext http, IntegrationCatalogue catalogue,
        LinkJourney journey, EmbedTickets tickets, PublicUrls urls, LinkConsents consents, CancellationToken ct)
    {
        var link = SdkAccessFilter.Of(http);
        if (string.IsNullOrWhiteSpace(body?.PlatformKey) || catalogue.Find(body.PlatformKey) is not { } integration
            || link.Settings.For(integration.SourceType) is not { Enabled: true })
        {
            return new CodatError(Error.Validation($"'{body?.PlatformKey}' is not an integration this journey offers."));
        }

        if (Ticket(link, body.Mode, body.ReturnUrl, http, urls) is not { } ticketFor)
        {
            return new CodatError(Error.Validation("mode Redirect needs a returnUrl on one of the allowed origins (POST /corsSettings)."));
        }

        var chosen = await journey.ChooseAsync(link, integration, ct);
        if (!chosen.IsSuccess)
        {
            return new CodatError(chosen.Error!);
        }

        var connection = chosen.Value!;
        var consent = await consents.AcceptFromSdkAsync(link, Brand(link), integration, body.ConsentText, http, ct);
        return TypedResults.Ok(new SdkAuthorization(SdkConnectionArgs.Of(connection), AuthorizeUrl(tickets, ticketFor(connection.Id) with { Consent = consent })));
    }

    /// <summary>Reconnect: sign in again for an existing connection that is not Linked (pending, consent expired, or disconnected).</summary>
    private static async Task<Results<Ok<SdkAuthorization>, CodatError>> Reauthorize(
        Guid companyId, Guid connectionId, SdkAuthorizeRequest? body, HttpContext http, ConsentryDbContext db, EmbedTickets tickets,
        PublicUrls urls, IntegrationCatalogue catalogue, LinkConsents consents, CancellationToken ct)
    {
        var found = await db.FindConnectionAsync(companyId, connectionId, track: false, ct);
        if (!found.IsSuccess)
        {
            return new CodatError(found.Error!);
        }

        if (found.Value!.Status == ConnectionStatus.Linked)
        {
            return new CodatError(Error.Validation("This connection is already Linked: there is nothing to reconnect."));
        }

        if (Ticket(SdkAccessFilter.Of(http), body?.Mode, body?.ReturnUrl, http, urls) is not { } ticketFor)
        {
            return new CodatError(Error.Validation("mode Redirect needs a returnUrl on one of the allowed origins (POST /corsSettings)."));
        }

        var link = SdkAccessFilter.Of(http);
        var consent = catalogue.Find(found.Value.PlatformKey) is { } integration
            ? await consents.AcceptFromSdkAsync(link, Brand(link), integration, body?.ConsentText, http, ct)
            : null;
        return TypedResults.Ok(new SdkAuthorization(SdkConnectionArgs.Of(found.Value), AuthorizeUrl(tickets, ticketFor(connectionId) with { Consent = consent })));
    }

    /// <summary>Upload files instead of connecting a platform (multipart: <c>category</c> and <c>file</c>), where the client's settings allow it.</summary>
    private static async Task<Results<Ok<SdkUpload>, CodatError>> Upload(HttpContext http, LinkUploads uploads, CancellationToken ct)
    {
        var link = SdkAccessFilter.Of(http);
        if (!http.Request.HasFormContentType)
        {
            return new CodatError(Error.Validation("Send multipart/form-data with a category and a file."));
        }

        var form = await http.Request.ReadFormAsync(ct);
        var category = form["category"].ToString();
        SourceType? type = category switch { "accounting" => SourceType.Accounting, "banking" => SourceType.Banking, _ => null };
        if (type is not { } sourceType || link.Settings.For(sourceType) is not { Enabled: true, FileUpload: true })
        {
            return new CodatError(Error.Validation("Files cannot be uploaded for this category."));
        }

        var saved = await uploads.SaveAsync(link, category, sourceType, form.Files["file"], ct);
        return saved.IsSuccess
            ? TypedResults.Ok(new SdkUpload(saved.Value!.Id, category, saved.Value.FileName, saved.Value.Size))
            : new CodatError(saved.Error!);
    }

    private static async Task<Results<NoContent, CodatError>> RecordEvent(
        Guid companyId, SdkEventRequest? body, HttpContext http, LinkJourney journey, CancellationToken ct)
    {
        var link = SdkAccessFilter.Of(http);
        SourceType? category = body?.Category switch
        {
            "accounting" => SourceType.Accounting,
            "banking" => SourceType.Banking,
            "commerce" => SourceType.Commerce,
            _ => null,
        };
        switch (body?.Step)
        {
            case "opened":
                await journey.RecordAsync(companyId, JourneyStep.Opened, ct: ct);
                return TypedResults.NoContent();
            case "consented":
                await journey.RecordAsync(companyId, JourneyStep.ConsentViewed, ct: ct);
                return TypedResults.NoContent();
            case "skipped" when category is { } skipped && link.Settings.For(skipped) is { Enabled: true }:
                await journey.RecordAsync(companyId, JourneyStep.CategorySkipped, detail: body.Category, sourceType: skipped, ct: ct);
                return TypedResults.NoContent();
            case "completed":
                await journey.RecordAsync(companyId, JourneyStep.Completed, ct: ct);
                return TypedResults.NoContent();
            default:
                return new CodatError(Error.Validation("step must be opened, consented, completed, or skipped with a category (accounting, banking, commerce)."));
        }
    }

    /// <summary>
    /// The ticket maker for this request, or null when a redirect has no allowed return URL. The popup reports to the
    /// page that asked (its Origin, already checked), or to the embedded journey on our own origin.
    /// </summary>
    private static Func<Guid, EmbedTicket>? Ticket(LinkContext link, EmbedMode? mode, string? returnUrl, HttpContext http, PublicUrls urls)
    {
        var opener = UrlRules.NormalizeOrigin(http.Request.Headers.Origin.ToString()) ?? UrlRules.NormalizeOrigin(urls.BaseUrl)!;
        if (mode == EmbedMode.Redirect)
        {
            if (EmbedFlows.AllowedReturnUrl(link.Client, returnUrl) is null)
            {
                return null;
            }

            return id => new EmbedTicket(link.Client.Id, link.Company.Id, id, EmbedMode.Redirect, opener, returnUrl);
        }

        return id => new EmbedTicket(link.Client.Id, link.Company.Id, id, EmbedMode.Popup, opener, null);
    }

    private static string Brand(LinkContext link) => link.Settings.CompanyName ?? link.Client.Name;

    private static string AuthorizeUrl(EmbedTickets tickets, EmbedTicket ticket) =>
        $"/link/embed/authorize?ticket={Uri.EscapeDataString(tickets.Issue(ticket))}";

    private static async Task<SdkConnection> ToViewAsync(Connection c, ConnectionImpacts impacts, ConsentryDbContext db, ConsentLedger ledger,
        CancellationToken ct)
    {
        var consents = await Consents.ConsentViews.OfConnectionAsync(db, ledger, c, ct);
        return new(c.Id, c.IntegrationId, c.PlatformKey, c.PlatformName, c.SourceId, c.SourceType, c.Status, c.Created, c.LastSync,
            BrandingImages.PathOf(c.PlatformKey, "logo-square"), await impacts.OfAsync(c, ct), c.ConsentExpiresAt, consents.Consents, consents.Pending);
    }

    /// <summary>The customer stops sharing data for one product (the consent given without products is named <c>general</c>).</summary>
    private static async Task<Results<Ok<Consents.ImpactResponse>, CodatError>> RevokeConsent(
        Guid companyId, Guid connectionId, string productIdentifier, HttpContext http, Consents.ConsentChanges changes, CancellationToken ct)
    {
        var result = await changes.RevokeAsync(companyId, connectionId, productIdentifier == "general" ? "" : productIdentifier,
            ConsentActorInfo.From(http, Core.Consents.ConsentActor.Customer), ct);
        return result.IsSuccess
            ? TypedResults.Ok(new Consents.ImpactResponse("revoke", result.Value!.Products, result.Value.DataTypesStopped, false, false))
            : new CodatError(result.Error!);
    }

    /// <summary>
    /// The customer confirms the additional consent the SDK showed for a Linked connection (no new sign-in): every product
    /// still awaiting consent on it is granted, with the text the SDK reports it showed.
    /// </summary>
    private static async Task<Results<Ok<SdkConnection>, CodatError>> ConfirmAdditional(
        Guid companyId, Guid connectionId, SdkConsentRequest? body, HttpContext http, ConsentryDbContext db, ConsentLedger ledger,
        ConsentTextWriter texts, Consents.ConsentChanges changes, ConnectionImpacts impacts, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body?.ConsentText) || body.ConsentText.Length > 20_000)
        {
            return new CodatError(Error.Validation("consentText (the consent the customer read, at most 20,000 characters) is required."));
        }

        var pending = (await ledger.PendingAsync(companyId, ct, connectionId)).FirstOrDefault();
        if (pending.Connection is null)
        {
            var found = await db.FindConnectionAsync(companyId, connectionId, track: false, ct);
            return new CodatError(found.IsSuccess ? Error.Validation("This connection has no additional consent to give.") : found.Error!);
        }

        var link = SdkAccessFilter.Of(http);
        var hash = ConsentTextWriter.HashOf(body.ConsentText);
        await texts.StoreAsync(link.Client.Id, new RenderedConsent(body.ConsentText, hash, link.Settings.Texts.ConsentVersion, [], []), ct);
        var who = ConsentActorInfo.From(http, Core.Consents.ConsentActor.Customer);
        var capture = new Core.Consents.ConsentCapture(hash, link.Settings.Texts.ConsentVersion,
            [.. pending.Products.Select(p => p.Product.Identifier)], time.GetUtcNow().UtcDateTime, who.IpAddress, who.UserAgent);
        var connection = await db.Connections.FirstAsync(c => c.Id == connectionId, ct);
        await changes.ConfirmAdditionalAsync(connection, pending.Products, capture, ct);
        return TypedResults.Ok(await ToViewAsync(connection, impacts, db, ledger, ct));
    }
}
