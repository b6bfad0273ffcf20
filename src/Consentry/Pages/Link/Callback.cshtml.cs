using Consentry.Core.Link;
using Consentry.Features.Link;
using Consentry.Features.Link.Embedded;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Link;

/// <summary>
/// Where each platform sends the customer back (one path per platform). A response that cannot be trusted gets an error
/// page and changes nothing; a real outcome goes back to the app (or the company journey).
/// </summary>
public sealed class CallbackModel(LinkJourney journey) : LinkPageModel
{
    public async Task<IActionResult> OnGetAsync(string platformKey, CancellationToken ct)
    {
        var outcome = await journey.CompleteAsync(platformKey, Request.Query, HttpContext, ct);
        if (outcome.PageError is { } error)
        {
            return ErrorPage(StatusCodes.Status400BadRequest, error);
        }

        Link = await journey.LoadAsync(outcome.CompanyId!.Value, ct);
        if (EmbedFlows.IsEmbedded(outcome.ReturnParameters))
        {
            return EmbedFlows.Finish(Link!.Client, outcome.CompanyId.Value, outcome.ConnectionId, outcome.StatusCode, outcome.ReturnParameters);
        }

        if (outcome.Journey == LinkJourneyKind.Company)
        {
            return Redirect($"/link/company/{outcome.CompanyId}?step=connect&result={outcome.StatusCode}");
        }

        var connection = await journey.ConnectionAsync(outcome.CompanyId.Value, outcome.ConnectionId!.Value, ct);
        var decision = AppRedirects.Decide(Link!.Client, Link.Company, connection, outcome.StatusCode, outcome.StatusText, outcome.ReturnParameters);
        return LinkResults.Redirect(this, decision, outcome.StatusCode, connection);
    }
}
