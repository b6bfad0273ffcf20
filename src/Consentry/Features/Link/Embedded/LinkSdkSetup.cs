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
    /// Static files, with the SDK module (<c>/sdk/link.js</c>) loadable from any origin: a module script is fetched with
    /// CORS, and the module is public code. What it may do is decided by the allowed origins on the API and the frames.
    /// </summary>
    public static StaticFileOptions StaticFiles() => new()
    {
        OnPrepareResponse = context =>
        {
            if (context.Context.Request.Path.StartsWithSegments("/sdk", StringComparison.Ordinal))
            {
                context.Context.Response.Headers.AccessControlAllowOrigin = "*";
                context.Context.Response.Headers["Cross-Origin-Resource-Policy"] = "cross-origin";
                context.Context.Response.Headers.CacheControl = "no-cache";
            }
        },
    };
}
