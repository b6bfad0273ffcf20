using Consentry.Core.Link;
using Consentry.Features.Link.Embedded;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Features.Link;

/// <summary>Where the customer goes once an authorization has an outcome: the SDK's frame, the company journey, or the app.</summary>
internal static class CallbackResults
{
    public static async Task<IActionResult> FinishAsync(LinkPageModel page, LinkJourney journey, AuthorizationOutcome outcome, CancellationToken ct)
    {
        if (outcome.ChooseAccountFlowId is { } flowId)
        {
            return new RedirectToPageResult("/Link/Accounts", new { flowId });
        }

        // Loaded once for the page (its look and headers) and the redirect decision; the company as the link read it.
        var link = page.Link = await journey.LoadAsync(outcome.CompanyId!.Value, ct, outcome.Company);
        if (EmbedFlows.IsEmbedded(outcome.ReturnParameters))
        {
            return EmbedFlows.Finish(link!.Client, outcome.CompanyId.Value, outcome.ConnectionId, outcome.StatusCode, outcome.ReturnParameters);
        }

        if (outcome.Journey == LinkJourneyKind.Company)
        {
            return new RedirectResult($"/link/company/{outcome.CompanyId}?step=connect&result={outcome.StatusCode}");
        }

        // The hand-off already has the connection as it left it; read it only when it did not say.
        var connection = outcome.Connection ?? await journey.ConnectionAsync(outcome.CompanyId.Value, outcome.ConnectionId!.Value, ct);
        var decision = AppRedirects.Decide(link!.Client, link.Company, connection, outcome.StatusCode, outcome.StatusText, outcome.ReturnParameters);
        return LinkResults.Redirect(page, decision, outcome.StatusCode, connection);
    }
}
