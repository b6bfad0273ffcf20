using Consentry.Features.Portal;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Portal;

public sealed class IndexModel : PortalPageModel
{
    public IActionResult OnGet() => Redirect("/portal/monitor/authflow");
}
