using System.Security.Claims;
using Consentry.Core.Errors;
using Consentry.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
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
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "same-origin";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; "
                                        + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        base.OnPageHandlerExecuting(context);
    }

    /// <summary>Runs a reused API handler: on success, a notice and back to this page; on failure, its message here.</summary>
    protected async Task<IActionResult> OutcomeAsync(IResult result, string notice, Func<Task>? reload = null)
    {
        if (Failure(result) is { } error)
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

    protected static Error? Failure(IResult result) => result is INestedHttpResult { Result: CodatError nested } ? nested.Error
        : result is CodatError direct ? direct.Error : null;
}
