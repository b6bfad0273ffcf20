using System.Security.Claims;
using Consentry.Core.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Consentry.Features.Portal;

/// <summary>
/// What every portal page shares: the signed-in user, a one-shot notice after a POST (post/redirect/get), the error of
/// the last action, and strict headers (no framing, scripts only from this origin, nothing cached).
/// </summary>
public abstract class PortalPageModel : PageModel
{
    [TempData]
    public string? Notice { get; set; }

    public string? Error { get; protected set; }

    public string UserEmail => User.FindFirstValue(ClaimTypes.Email) ?? "";

    public bool IsOperator => User.IsInRole(PortalSetup.OperatorRole);

    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        var headers = Response.Headers;
        // What antiforgery sets on a page with a form; anything else makes it log a warning for every page served.
        headers.CacheControl = "no-cache, no-store";
        headers["Referrer-Policy"] = "same-origin";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; "
                                        + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        base.OnPageHandlerExecuting(context);
    }

    /// <summary>
    /// Shows what a use case answered: on success (no error), a notice and back to this page; on failure, its message
    /// here. The use cases are the API's own (the same rules), answering a value or an <see cref="Core.Errors.Error"/>.
    /// </summary>
    protected async Task<IActionResult> OutcomeAsync(Error? error, string notice, Func<Task>? reload = null)
    {
        if (error is not null)
        {
            Error = error.Message;
            if (reload is not null)
            {
                await reload();
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Notice = notice;
        return RedirectToPage();
    }
}
