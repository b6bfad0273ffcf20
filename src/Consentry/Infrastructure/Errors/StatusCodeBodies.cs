namespace Consentry.Infrastructure.Errors;

/// <summary>Gives bodiless error statuses (unknown route 404, 401 challenge, 405) Codat's error body.</summary>
internal static class StatusCodeBodies
{
    public static IApplicationBuilder UseCodatStatusCodeBodies(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
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
