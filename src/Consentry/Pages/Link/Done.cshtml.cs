using Consentry.Features.Link;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Link;

/// <summary>Consentry's own result page: shown when the app has no redirect URL, or its redirect was not allowed.</summary>
public sealed class DoneModel : LinkPageModel
{
    public int Status { get; private set; }

    public string? Platform { get; private set; }

    public string? Reason { get; private set; }

    public IActionResult OnGet(int status = 200, string? platform = null, string? reason = null)
    {
        (Status, Platform, Reason) = (status, platform is { Length: <= 100 } ? platform : null, reason);
        SecureHeaders();
        if (status is not (200 or 201))
        {
            Response.StatusCode = status == 400 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        }

        return Page();
    }
}
