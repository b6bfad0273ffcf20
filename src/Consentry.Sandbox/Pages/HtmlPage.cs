using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Consentry.Sandbox.Platforms;
using Microsoft.AspNetCore.Http;

namespace Consentry.Sandbox.Pages;

/// <summary>The one layout of the sandbox's pages, and the security headers every page and redirect carries.</summary>
internal static class HtmlPage
{
    /// <summary>HTML-encodes text for element content and quoted attribute values.</summary>
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>No caching, no referrer (codes and states stay out of Referer), no framing.</summary>
    public static void SecureHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
    }

    /// <param name="formsLeaveThisSite">
    /// The page's forms end in redirects to the client and beyond (the consent page). Browsers check form-action against
    /// every redirect after a POST, and the client's next hops are unknown here, so such a page sets no form-action.
    /// </param>
    public static IResult Render(
        HttpContext context, SandboxPlatform platform, string title, string main, int statusCode = StatusCodes.Status200OK,
        bool formsLeaveThisSite = false)
    {
        var nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        SecureHeaders(context);
        var formAction = formsLeaveThisSite ? "" : "form-action 'self'; ";
        context.Response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; style-src 'nonce-{nonce}'; img-src 'self' data:; {formAction}frame-ancestors 'none'; base-uri 'none'";

        var brand = platform.BrandColor;
        var html = $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            <title>{{E(title)}} · {{E(platform.Name)}}</title>
            <style nonce="{{nonce}}">
            *{box-sizing:border-box}
            body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2937;background:#f3f4f6}
            header{display:flex;align-items:center;gap:.75rem;padding:.75rem 1rem;background:{{brand}};color:#fff;font-weight:600}
            .logo{display:inline-grid;place-items:center;flex:none;width:2rem;height:2rem;border-radius:.5rem;background:#fff;color:{{brand}};font-weight:700}
            main{max-width:28rem;margin:1.5rem auto;padding:1.5rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}
            @media (max-width:30rem){main{margin:0;border-radius:0;box-shadow:none;padding:1.25rem 1rem} }
            h1{font-size:1.375rem;line-height:1.3;margin:0 0 1rem}
            label{display:block;font-weight:600;margin:1rem 0 .25rem}
            input[type=text],input[type=password]{width:100%;padding:.625rem .75rem;font:inherit;border:1px solid #6b7280;border-radius:.375rem}
            button{display:block;width:100%;min-height:2.75rem;margin-top:1.25rem;padding:.5rem 1.25rem;font:inherit;font-weight:600;border-radius:.375rem;border:2px solid {{brand}};cursor:pointer}
            .primary{background:{{brand}};color:#fff}
            .secondary{background:#fff;color:{{brand}}}
            :focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
            .error{margin:0 0 1rem;padding:.75rem;border-radius:.375rem;background:#fef2f2;color:#991b1b;border:1px solid #f87171}
            .actions form button{margin-top:.75rem}
            .muted{color:#4b5563;font-size:.875rem}
            ul{padding-left:1.25rem} li{margin:.375rem 0}
            details{margin-top:1.5rem}
            table{border-collapse:collapse;width:100%;font-size:.875rem} th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #e5e7eb}
            </style>
            </head>
            <body>
            <header><span class="logo" aria-hidden="true">{{E(platform.Initials)}}</span><span>{{E(platform.Name)}}</span></header>
            <main>
            {{main}}
            </main>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    public static IResult Error(HttpContext context, SandboxPlatform platform, string title, string message) =>
        Render(context, platform, title, $"""
            <h1>{E(title)}</h1>
            <p class="error" role="alert">{E(message)}</p>
            <p class="muted">Nothing was shared. Close this page and start again from the app.</p>
            """, StatusCodes.Status400BadRequest);
}
