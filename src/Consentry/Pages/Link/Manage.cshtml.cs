using Consentry.Features.Link;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Link;

/// <summary>
/// The customer's connection management (<c>/link/company/{companyId}/manage#accessToken=…</c>): the Connections
/// component on Consentry's own origin, authorized by the company access token the app put in the fragment (the page
/// itself holds nothing secret; every change goes through the company-scoped API, <see cref="Features.Link.Embedded.SdkEndpoints"/>).
/// </summary>
public sealed class ManageModel(LinkJourney journey) : LinkPageModel
{
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
