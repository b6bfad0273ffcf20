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

    public static Results<Ok<BrandingResponse>, StatusCodeHttpResult, CodatError> Handle(
        string platformKey, IntegrationCatalogue catalogue, BrandingImages images, PublicUrls urls, HttpContext context)
    {
        if (catalogue.Find(platformKey) is not { } integration)
        {
            return new CodatError(IntegrationMessages.NotFound(platformKey));
        }

        // The branding document changes only when its images (or the public URL) change.
        var etag = $"\"{string.Concat(BrandingImages.Names.Select(n => images.Find(platformKey, n)!.ETag.Trim('"')[..8]))}-{urls.BaseUrl.GetHashCode(StringComparison.Ordinal):x8}\"";
        if (NotModified(context, etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        BrandingImage Image(string name, string alt) => new(new ImageReference(urls.Absolute(BrandingImages.PathOf(platformKey, name)), alt));
        return TypedResults.Ok(new BrandingResponse(
            new BrandingLogo(Image("logo-full", $"{integration.Name} logo"), Image("logo-square", $"{integration.Name} icon")),
            new BrandingButton(Image("button", $"Connect {integration.Name}"), Image("button-hover", $"Connect {integration.Name}")),
            integration.SourceId));
    }

    public static IResult Image(string platformKey, string image, BrandingImages images, HttpContext context)
    {
        if (images.Find(platformKey, image) is not { } svg)
        {
            return new CodatError(Core.Errors.Error.NotFound($"No branding image '{image}' for '{platformKey}'."));
        }

        return NotModified(context, svg.ETag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(svg.Content, "image/svg+xml");
    }

    /// <summary>Sets the caching headers and says whether the client's copy (If-None-Match) is current.</summary>
    private static bool NotModified(HttpContext context, string etag)
    {
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = CacheControl;
        return context.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } tags
               && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag.Equals(etag, StringComparison.Ordinal));
    }
}
