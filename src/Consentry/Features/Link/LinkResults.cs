using Microsoft.AspNetCore.Mvc;

namespace Consentry.Features.Link;

internal static class LinkResults
{
    /// <summary>Sends the customer back to the app, or shows our page: the result page, or a refusal when the address is not allowed.</summary>
    public static IActionResult Redirect(LinkPageModel page, RedirectDecision decision, int statusCode, string? platformName)
    {
        if (decision.Url is { } url)
        {
            return new RedirectResult(url.AbsoluteUri);
        }

        if (decision.RefusedUrl is { } refused)
        {
            page.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Consentry.Link")
                .LogWarning("Refused to redirect to {Url}: its origin is not in the client's allowed redirect URLs.", refused);
            return new RedirectToPageResult("/Link/Done", new { status = 400, reason = "redirect-not-allowed" });
        }

        return new RedirectToPageResult("/Link/Done", new { status = statusCode, platform = platformName });
    }
}
