namespace Consentry.Infrastructure.Errors;

/// <summary>Gives bodiless error statuses (unknown route 404, 401 challenge, 405) Codat's error body.</summary>
internal static class StatusCodeBodies
{
    public static IApplicationBuilder UseCodatStatusCodeBodies(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (http.Request.Path.StartsWithSegments("/link") && !http.Request.Path.StartsWithSegments("/link/api"))
            {
                // A customer's browser, not an API client (the Link SDK's /link/api is one): a short page in the Link
                // pages' style, not JSON. A 404 here is a malformed link (an id that is not one): invalid or expired.
                http.Response.ContentType = "text/html; charset=utf-8";
                http.Response.Headers.CacheControl = "no-store";
                var (title, text) = http.Response.StatusCode switch
                {
                    StatusCodes.Status404NotFound => ("This link is invalid or has expired", "Go back to the app you came from and start again there: it gives you a new link."),
                    StatusCodes.Status400BadRequest => ("Something went wrong", "This form expired or was not sent from this page. Go back, reload and try again."),
                    _ => ("Something went wrong", "This page could not be shown."),
                };
                await http.Response.WriteAsync(
                    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
                    $"<meta name=\"referrer\" content=\"no-referrer\"><title>{title}</title><link rel=\"stylesheet\" href=\"/link/link.css\"></head>" +
                    $"<body><main class=\"card\" aria-labelledby=\"page-title\"><h1 id=\"page-title\">{title}</h1><p class=\"error\" role=\"alert\">{text}</p></main></body></html>");
                return;
            }

            var message = http.Response.StatusCode switch
            {
                StatusCodes.Status401Unauthorized => "Unauthorized",
                StatusCodes.Status403Forbidden => "Forbidden",
                StatusCodes.Status404NotFound => "Not found.",
                StatusCodes.Status405MethodNotAllowed => $"Method {http.Request.Method} is not allowed on {http.Request.Path}.",
                StatusCodes.Status415UnsupportedMediaType => "Content-Type must be application/json.",
                var code => $"Request failed with status {code}.",
            };
            await ErrorMapping.WriteAsync(http, http.Response.StatusCode, message);
        });
}
