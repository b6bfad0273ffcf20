using Consentry.Features.Portal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Portal;

/// <summary>Email and password; the same message for an unknown email, a wrong password and a locked account.</summary>
public sealed class SignInModel(PortalAccounts accounts) : PortalPageModel
{
    public string? Email { get; private set; }

    public string? ReturnUrl { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? email, string? password, string? returnUrl, CancellationToken ct)
    {
        Email = email;
        ReturnUrl = returnUrl;
        var result = await accounts.SignInAsync(email ?? "", password ?? "", ct);
        if (result.User is not { } user)
        {
            Error = result.Outcome == SignInOutcome.LockedOut
                ? "Too many failed attempts: this account is locked for a while. Try again later."
                : "That email and password do not match an account.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await HttpContext.SignInAsync(PortalSetup.Scheme, PortalSetup.Principal(user));
        return LocalRedirect(Url.IsLocalUrl(returnUrl) && returnUrl.StartsWith("/portal", StringComparison.OrdinalIgnoreCase) ? returnUrl : "/portal");
    }
}
