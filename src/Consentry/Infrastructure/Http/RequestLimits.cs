using System.Globalization;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Options;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Consentry.Infrastructure.Http;

/// <summary>
/// Caps request bodies at <c>Consentry__MaxRequestBodyBytes</c>: a declared Content-Length over the cap is refused
/// with 413 before anything is read, and the server's own limit (Kestrel) stops chunked bodies that grow past it.
/// </summary>
internal static class RequestLimits
{
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app)
    {
        var apiLimit = app.ApplicationServices.GetRequiredService<IOptions<ConsentryOptions>>().Value.MaxRequestBodyBytes;
        // The Link pages take file uploads (10 MB each), so their form posts get room for one file.
        var uploadLimit = Core.Link.UploadedFile.MaxBytes + (256 * 1024);
        return app.Use((context, next) =>
        {
            var limit = context.Request.Path.StartsWithSegments("/link") ? uploadLimit : apiLimit;
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }

            return context.Request.ContentLength > limit
                ? ErrorMapping.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                    string.Create(CultureInfo.InvariantCulture, $"Request body too large: the limit is {limit} bytes."))
                : next(context);
        });
    }
}
