using Consentry.Core.Connections;
using Consentry.Features.Link;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Link;

/// <summary>
/// Consentry's own result page: shown when the app has no redirect URL, or its redirect was not allowed. It renders
/// only what the server knows: the outcome from a protected reference (<see cref="LinkResultReferences"/>), the app's
/// branding and the connection's platform loaded by the ids inside it. Nothing from the query is displayed.
/// </summary>
public sealed class DoneModel(LinkJourney journey, LinkResultReferences references) : LinkPageModel
{
    public LinkResult? Result { get; private set; }

    public Connection? Connection { get; private set; }

    public bool Succeeded => Result?.StatusCode is 200 or 201;

    public bool Cancelled => Result?.StatusCode == 403;

    /// <summary>The app's first allowed address (its allow-list is the app's own word for "where we live"), if any.</summary>
    public string? ReturnUrl => Link?.Client.Profile.WhiteListUrls
        .FirstOrDefault(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http");

    /// <summary>The connection's own linkUrl, to try the same platform again (not when it cannot be authorized here).</summary>
    public string? TryAgainUrl => Connection is { Status: not ConnectionStatus.Linked } c && Result?.StatusCode != 501
        ? $"/link/companies/{c.CompanyId}/connections/{c.Id}/start"
        : null;

    /// <summary>The company Link, where every platform the app offers can be chosen.</summary>
    public string ChooseAnotherUrl => $"/link/company/{Link!.Company.Id}?step=connect";

    public async Task<IActionResult> OnGetAsync(string? r, CancellationToken ct)
    {
        Result = references.Read(r);
        Link = Result is null ? null : await journey.LoadAsync(Result.CompanyId, ct);
        if (Result is null)
        {
            return ErrorPage(StatusCodes.Status400BadRequest, "This page has expired or its address is not complete.");
        }

        if (Link is null)
        {
            // The reference is genuine but its company was deleted since.
            Result = null;
            return ErrorPage(StatusCodes.Status404NotFound, NotFoundMessage);
        }

        Connection = Result.ConnectionId is { } id ? await journey.ConnectionAsync(Result.CompanyId, id, ct) : null;
        SecureHeaders();
        Response.StatusCode = Result.RedirectRefused ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        return Page();
    }
}
