using Consentry.Core.Link;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Consentry.Features.Link;

/// <summary>What every Link page shares: the client's look, and the security headers (set per client).</summary>
public abstract class LinkPageModel : PageModel
{
    public LinkContext? Link { get; protected set; }

    public LinkSettings Settings => Link?.Settings ?? new LinkSettings();

    public string BrandName => Settings.CompanyName ?? Link?.Client.Name ?? "Consentry";

    /// <summary>
    /// No caching, no referrer (URLs carry ids), no sniffing, and a CSP whose frame-ancestors are the client's allowed
    /// origins (the SDK embeds these pages there) or nobody. No form-action: browsers check it against every redirect
    /// after a POST, and our forms end at the platform's login page or the app's redirect URL by design.
    /// </summary>
    protected void SecureHeaders()
    {
        var ancestors = Link?.Client.AllowedOrigins is { Count: > 0 } origins ? string.Join(' ', origins) : "'none'";
        var headers = Response.Headers;
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy =
            $"default-src 'none'; img-src 'self' https: data:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
            $"connect-src 'self'; base-uri 'none'; frame-ancestors {ancestors}";
    }

    protected IActionResult ErrorPage(int statusCode, string message)
    {
        ErrorMessage = message;
        SecureHeaders();
        Response.StatusCode = statusCode;
        return Page();
    }

    public string? ErrorMessage { get; protected set; }
}
