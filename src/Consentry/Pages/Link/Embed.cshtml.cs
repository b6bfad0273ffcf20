using Consentry.Features.Link;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Link;

/// <summary>
/// The company journey in embed mode: the page the Link SDK puts in its iframe. Framable only by the client's CORS
/// allowed origins (CSP frame-ancestors); its script talks only to a parent on one of those origins, gets the company
/// access token from it by postMessage, and drives the journey through the SDK's JSON endpoints (no cookies, which a
/// third-party frame may not have).
/// </summary>
public sealed class EmbedModel(LinkJourney journey) : LinkPageModel
{
    public string AllowedOrigins => string.Join(' ', Link?.Client.AllowedOrigins ?? []);

    public async Task<IActionResult> OnGetAsync(Guid companyId, CancellationToken ct)
    {
        Link = await journey.LoadAsync(companyId, ct);
        if (Link is null)
        {
            return ErrorPage(StatusCodes.Status404NotFound, LinkPageModel.NotFoundMessage);
        }

        SecureHeaders();
        return Page();
    }
}
