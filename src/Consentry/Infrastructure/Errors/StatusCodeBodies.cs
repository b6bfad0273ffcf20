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
                // A customer's browser, not an API client (the Link SDK's /link/api is one): a short page, not JSON.
                http.Response.ContentType = "text/html; charset=utf-8";
                http.Response.Headers.CacheControl = "no-store";
                var text = http.Response.StatusCode == StatusCodes.Status400BadRequest
                    ? "This form expired or was not sent from this page. Go back, reload and try again."
                    : "This page could not be shown.";
                await http.Response.WriteAsync(
                    $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Error</title></head><body><main><h1>Something went wrong</h1><p>{text}</p></main></body></html>");
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
