using Consentry.Core.Errors;
using Consentry.Core.Link;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Consentry.Features.Link;

/// <summary>What every Link page shares: the client's look, and the security headers (set per client).</summary>
public abstract class LinkPageModel : PageModel
{
    public LinkContext? Link { get; protected internal set; }

    public LinkSettings Settings => Link?.Settings ?? new LinkSettings();

    /// <summary>The client's texts in the customer's language (each falls back to the default language's, then to ours).</summary>
    public LinkTexts Texts => Settings.TextsFor(Localization.LinkLocales.Current);

    /// <summary>
    /// The app's name as its customers should read it: the Link settings' company name, else the client's name unless it
    /// is the instance's "Default" client (a name no customer would recognise), else the host of its first allowed URL.
    /// </summary>
    public string BrandName => LinkBrand.Name(Settings, Link?.Client);

    /// <summary>
    /// No caching, no referrer (URLs carry ids), no sniffing, and a CSP whose frame-ancestors are the client's allowed
    /// origins (the SDK embeds these pages there) or nobody. No form-action: browsers check it against every redirect
    /// after a POST, and our forms end at the platform's login page or the app's redirect URL by design.
    /// </summary>
    protected void SecureHeaders()
    {
        var ancestors = Link?.Client.AllowedOrigins is { Count: > 0 } origins ? string.Join(' ', origins) : "'none'";
        var headers = Response.Headers;
        // What antiforgery sets on a page with a form; anything else makes it log a warning for every page served.
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy =
            $"default-src 'none'; img-src 'self' https: data:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
            $"connect-src 'self'; base-uri 'none'; frame-ancestors {ancestors}";
    }

    /// <summary>An error page in the Link pages' style; a 404 says the link is invalid or expired (<c>_LinkError.cshtml</c>).</summary>
    /// <param name="message">The English text, with <c>{0}</c>-style holes for <paramref name="arguments"/>: it is the localizer's key.</param>
    protected IActionResult ErrorPage(int statusCode, string message, params object?[] arguments) =>
        ErrorPage(statusCode, new ReadableText(message, arguments));

    /// <summary>An error page for a service's error, in the reader's language when the error carries its template.</summary>
    protected IActionResult ErrorPage(int statusCode, Error error) => ErrorPage(statusCode, error.Text ?? ReadableText.Plain(error.Message));

    private PageResult ErrorPage(int statusCode, ReadableText text)
    {
        ErrorText = text;
        ErrorMessage = text.ToString();
        LinkInvalid = statusCode == StatusCodes.Status404NotFound;
        SecureHeaders();
        Response.StatusCode = statusCode;
        return Page();
    }

    /// <summary>The error in English (null when the page shows no error).</summary>
    public string? ErrorMessage { get; protected set; }

    /// <summary>The error as the page shows it, in the reader's language.</summary>
    public ReadableText? ErrorText { get; private set; }

    /// <summary>The link names a company or connection that does not exist (any more): the page says it is invalid or expired.</summary>
    public bool LinkInvalid { get; private set; }

    /// <summary>What a 404 page says after its heading (the company or connection is unknown or was deleted).</summary>
    public const string NotFoundMessage = "The business or connection it was made for does not exist, or no longer does.";
}
