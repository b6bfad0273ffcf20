using Consentry.Core.Connections;
using Consentry.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Features.Link;

internal static class LinkResults
{
    /// <summary>
    /// Sends the customer back to the app, or shows our result page (also when the app's address is not allowed). The
    /// page gets only a protected reference (<see cref="LinkResultReferences"/>), never text to display.
    /// </summary>
    public static IActionResult Redirect(LinkPageModel page, RedirectDecision decision, int statusCode, Connection? connection)
    {
        if (decision.Url is { } url)
        {
            return new RedirectResult(url.AbsoluteUri);
        }

        if (decision.RefusedUrl is { } refused)
        {
            page.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Consentry.Link")
                .LogWarning("Refused to redirect to {Url}: its origin is not in the client's allowed redirect URLs.", refused);
        }

        var references = page.HttpContext.RequestServices.GetRequiredService<LinkResultReferences>();
        var result = new LinkResult(page.Link!.Company.Id, connection?.Id, statusCode, decision.RefusedUrl is not null, CorrelationId.Of(page.HttpContext));
        return new RedirectToPageResult("/Link/Done", new { r = references.Issue(result) });
    }
}
