using Consentry.Core.Integrations;
using Consentry.Core.Link;
using Consentry.Features.Link;
using Consentry.Features.Link.Embedded;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Link;

/// <summary>
/// Starts the platform's sign-in for the SDK, first-party (in the popup, or in the whole page after a blocked popup), so
/// the OAuth flow's browser cookie is set where the platform's callback will arrive.
/// </summary>
public sealed class EmbedAuthorizeModel(LinkJourney journey, OAuthHandOff handOff, EmbedTickets tickets, IntegrationCatalogue catalogue) : LinkPageModel
{
    public async Task<IActionResult> OnGetAsync(string? ticket, CancellationToken ct)
    {
        if (tickets.Read(ticket) is not { } valid)
        {
            return ErrorPage(StatusCodes.Status400BadRequest, "This sign-in link has expired or is not valid. Go back to the app and choose the platform again.");
        }

        Link = await journey.LoadAsync(valid.CompanyId, ct);
        var connection = Link is null || Link.Client.Id != valid.ClientId ? null : await journey.ConnectionAsync(valid.CompanyId, valid.ConnectionId, ct);
        if (connection is null)
        {
            return ErrorPage(StatusCodes.Status404NotFound, LinkPageModel.NotFoundMessage);
        }

        var authorize = catalogue.Find(connection.PlatformKey) is not { } integration ? null
            : await handOff.StartAsync(Link!, connection, integration, LinkJourneyKind.Company, EmbedFlows.ReturnParameters(valid), HttpContext, valid.Consent, ct);
        return authorize is null ? ErrorPage(StatusCodes.Status400BadRequest, "{0} cannot be connected here.", connection.PlatformName) : Redirect(authorize);
    }
}
