using Consentry.Features.Link;
using Consentry.Features.Link.Embedded;
using Consentry.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Link;

/// <summary>
/// The end of a sign-in in the SDK's popup: tells the opener (the embedded journey, or the app's Connections component)
/// the connection id and status by postMessage to its checked origin, then closes. It carries no secret: the SDK
/// reads the connection's real status from the API before telling the app.
/// </summary>
public sealed class EmbedResultModel(LinkJourney journey, PublicUrls urls) : LinkPageModel
{
    public int Status { get; private set; }

    public Guid? ConnectionId { get; private set; }

    public string Opener { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(Guid companyId, Guid? connectionId, int status, string? opener, CancellationToken ct)
    {
        Link = await journey.LoadAsync(companyId, ct);
        if (Link is null)
        {
            return ErrorPage(StatusCodes.Status404NotFound, LinkPageModel.NotFoundMessage);
        }

        (Status, ConnectionId) = (status, connectionId);
        Opener = opener is not null && SdkAccessFilter.IsAllowed(Link.Client, opener, urls) ? Features.Settings.UrlRules.NormalizeOrigin(opener) ?? "" : "";
        SecureHeaders();
        return Page();
    }
}
