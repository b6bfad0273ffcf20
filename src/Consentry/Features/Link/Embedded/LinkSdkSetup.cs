using Consentry.Features.Connections;

namespace Consentry.Features.Link.Embedded;

internal static class LinkSdkSetup
{
    public static IServiceCollection AddLinkSdk(this IServiceCollection services)
    {
        services.AddSingleton<EmbedTickets>();
        services.AddScoped<SdkJourneyReader>();
        services.AddScoped<ConnectionImpacts>();
        return services;
    }

    /// <summary>
    /// Static files, with the SDK module (<c>/sdk/link.js</c>) and the code it shares with the embedded journey
    /// (<c>/sdk/chunks/shared-{hash}.js</c>, which it imports) loadable from any origin: a module script is fetched with
    /// CORS, and the module is public code. What it may do is decided by the allowed origins on the API and the frames.
    /// The module is revalidated on every load (its URL never changes); a chunk's name changes with its content, so a
    /// browser keeps it for good.
    /// </summary>
    public static StaticFileOptions StaticFiles() => new()
    {
        OnPrepareResponse = context =>
        {
            var path = context.Context.Request.Path;
            if (path.StartsWithSegments("/sdk", StringComparison.Ordinal))
            {
                var headers = context.Context.Response.Headers;
                headers.AccessControlAllowOrigin = "*";
                headers["Cross-Origin-Resource-Policy"] = "cross-origin";
                headers.CacheControl = path.StartsWithSegments(SharedChunks, StringComparison.Ordinal) ? "public, max-age=31536000, immutable" : "no-cache";
            }
        },
    };

    /// <summary>Where sdk/link's build writes the modules shared by <c>/sdk/link.js</c> and <c>/link/embed.js</c> (named by their content's hash).</summary>
    public const string SharedChunks = "/sdk/chunks";
}
