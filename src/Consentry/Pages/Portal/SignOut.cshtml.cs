using Consentry.Features.Portal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Portal;

/// <summary>POST only (a GET cannot sign anyone out from another site).</summary>
public sealed class SignOutModel : PortalPageModel
{
    public IActionResult OnGet() => RedirectToPage("/Portal/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(PortalSetup.Scheme);
        return Redirect("/portal/signin");
    }
}
