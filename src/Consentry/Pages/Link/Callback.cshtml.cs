using Consentry.Features.Link;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Link;

/// <summary>
/// Where each platform sends the customer back (one path per platform). A response that cannot be trusted gets an error
/// page and changes nothing; a real outcome goes back to the app (or the company journey), through the accounts page
/// when the grant covers several accounts.
/// </summary>
public sealed class CallbackModel(OAuthHandOff handOff, LinkJourney journey) : LinkPageModel
{
    public async Task<IActionResult> OnGetAsync(string platformKey, CancellationToken ct)
    {
        var outcome = await handOff.CompleteAsync(platformKey, Request.Query, HttpContext, ct);
        if (outcome.PageError is { } error)
        {
            return ErrorPage(StatusCodes.Status400BadRequest, error);
        }

        return await CallbackResults.FinishAsync(this, journey, outcome, ct);
    }
}
