using Consentry.Core.Link;
using Consentry.Features.Link;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Consentry.Pages.Link;

/// <summary>
/// The customer authorized several accounts at the platform (Xero organisations): one Consentry connection is one
/// account, so they choose which; the others are given back to the platform. Bound to the browser that started the
/// sign-in, antiforgery-protected, single use.
/// </summary>
public sealed class AccountsModel(OAuthHandOff handOff, LinkJourney journey) : LinkPageModel
{
    public OAuthFlow? Flow { get; private set; }

    public string PlatformName { get; private set; } = "";

    public string? ChoiceError { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid flowId, CancellationToken ct) =>
        await LoadAsync(flowId, ct) ?? Show();

    public async Task<IActionResult> OnPostChooseAsync(Guid flowId, string? accountId, CancellationToken ct)
    {
        if (await LoadAsync(flowId, ct) is { } missing)
        {
            return missing;
        }

        if (string.IsNullOrEmpty(accountId))
        {
            ChoiceError = "Choose one organisation to connect.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Show();
        }

        return await FinishAsync(await handOff.ChooseAccountAsync(Flow!, accountId, ct), ct);
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid flowId, CancellationToken ct) =>
        await LoadAsync(flowId, ct) ?? await FinishAsync(await handOff.ChooseAccountAsync(Flow!, null, ct), ct);

    private async Task<IActionResult> FinishAsync(AuthorizationOutcome outcome, CancellationToken ct) =>
        outcome.PageError is { } error ? ErrorPage(StatusCodes.Status400BadRequest, error) : await CallbackResults.FinishAsync(this, journey, outcome, ct);

    private PageResult Show()
    {
        SecureHeaders();
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid flowId, CancellationToken ct)
    {
        if (await handOff.PendingChoiceAsync(flowId, HttpContext, ct) is not { } flow || await journey.LoadAsync(flow.CompanyId, ct) is not { } link)
        {
            return ErrorPage(StatusCodes.Status400BadRequest,
                "This choice is no longer open: it was made already, took too long, or was started in another browser. Start again from your app.");
        }

        (Flow, Link) = (flow, link);
        var connection = await journey.ConnectionAsync(Flow.CompanyId, Flow.ConnectionId, ct);
        PlatformName = connection?.PlatformName ?? Flow.PlatformKey;
        return null;
    }
}
