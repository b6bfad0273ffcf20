using Consentry.Core.Integrations;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Consentry.Features.Integrations;

/// <summary>Branding JSON and the images it points to, both with ETag and Cache-Control (Codat advises caching them).</summary>
internal static class GetBranding
{
    private const string CacheControl = "public, max-age=86400";

    // Shorter than the document's: the operator can swap a logo, and the ETag keeps each revalidation to a 304.
    private const string ImageCacheControl = "public, max-age=300";

    public static Results<Ok<BrandingResponse>, StatusCodeHttpResult, CodatError> Handle(
        string platformKey, IntegrationCatalogue catalogue, BrandingImages images, PublicUrls urls, HttpContext context)
    {
        if (catalogue.Find(platformKey) is not { } integration)
        {
            return new CodatError(IntegrationMessages.NotFound(platformKey));
        }

        // The branding document changes only when its images (or the public URL) change.
        var etag = $"\"{string.Concat(BrandingImages.Names.Select(n => images.Find(platformKey, n)!.ETag.Trim('"')[..8]))}-{urls.BaseUrl.GetHashCode(StringComparison.Ordinal):x8}\"";
        if (NotModified(context, etag, CacheControl))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        BrandingImage Image(string name, string alt) => new(new ImageReference(urls.Absolute(BrandingImages.PathOf(platformKey, name)), alt));
        return TypedResults.Ok(new BrandingResponse(
            new BrandingLogo(Image("logo-full", $"{integration.Name} logo"), Image("logo-square", $"{integration.Name} icon")),
            new BrandingButton(Image("button", $"Connect {integration.Name}"), Image("button-hover", $"Connect {integration.Name}")),
            integration.SourceId));
    }

    /// <summary>The operator's uploaded logo when there is one, otherwise the drawn image.</summary>
    public static async Task<IResult> Image(string platformKey, string image, BrandingImages images, IntegrationLogoStore uploads,
        HttpContext context, CancellationToken ct)
    {
        if (images.Find(platformKey, image) is not { } svg)
        {
            return new CodatError(Core.Errors.Error.NotFound($"No branding image '{image}' for '{platformKey}'."));
        }

        var uploaded = await uploads.FindAsync(platformKey, image, ct);
        if (uploaded is not null)
        {
            // An uploaded SVG was checked for script, but it is opened directly too: forbid everything it could still try.
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        }

        var (etag, content, type) = uploaded is null ? (svg.ETag, svg.Content, "image/svg+xml") : (uploaded.ETag, uploaded.Content, uploaded.ContentType);
        return NotModified(context, etag, ImageCacheControl)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(content, type);
    }

    /// <summary>Sets the caching headers and says whether the client's copy (If-None-Match) is current.</summary>
    private static bool NotModified(HttpContext context, string etag, string cacheControl)
    {
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = cacheControl;
        return context.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } tags
               && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag.Equals(etag, StringComparison.Ordinal));
    }
}
