using Consentry.Connectors.OAuth2;
using Consentry.Features.Connections;
using Consentry.Features.Link.Embedded;
using Consentry.Features.Link.Localization;
using Consentry.Infrastructure.Http;
using Consentry.Sandbox;
using Microsoft.Extensions.Options;

namespace Consentry.Features.Link;

internal static class LinkSetup
{
    private static readonly string[] SandboxKeys = ["sbac", "sbbk", "sbcm"];

    /// <summary>
    /// The hosted Link pages (Razor Pages), the generic OAuth 2.0 connector, and the built-in sandbox platforms with
    /// Consentry registered at them as an OAuth client whose redirect URIs are this instance's callback URLs.
    /// </summary>
    public static WebApplicationBuilder AddLink(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages();
        builder.AddLinkLocalization();
        builder.Services.AddScoped<LinkJourney>();
        builder.Services.AddScoped<OAuthHandOff>();
        builder.Services.AddScoped<PlatformClients>();
        builder.Services.AddScoped<LinkUploads>();
        builder.Services.AddScoped<ConsentTextWriter>();
        builder.Services.AddScoped<LinkConsents>();
        builder.Services.AddScoped<PlatformRequestWriter>();
        builder.Services.AddSingleton<LinkResultReferences>();
        builder.Services.AddLinkSdk();
        builder.Services.AddSingleton<OAuthConnector>();
        builder.Services.AddHttpClient(OAuthConnector.ClientName, c =>
        {
            c.Timeout = TimeSpan.FromSeconds(15);
            c.DefaultRequestHeaders.UserAgent.ParseAdd("Consentry/1.0");
        }).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });

        var sandbox = builder.Configuration.GetSection("Consentry:Sandbox");
        builder.Services.AddOptions<SandboxConnectorOptions>().Bind(sandbox);
        builder.Services.AddConsentrySandbox(sandbox);
        builder.Services.AddOptions<SandboxOptions>().Configure<PublicUrls, IOptions<SandboxConnectorOptions>>((o, urls, connector) =>
        {
            // Unless the operator registered clients, register Consentry itself with exactly its own callback URLs.
            if (o.Clients.Count == 0 && o.DefaultClientRedirectUris.Count == 0)
            {
                o.DefaultClientRedirectUris = [.. SandboxKeys.Select(k => urls.Absolute(PlatformClients.CallbackPath(k)))];
            }
        });
        return builder;
    }

    public static WebApplication MapLink(this WebApplication app)
    {
        app.UseStaticFiles(LinkSdkSetup.StaticFiles());
        app.UseLinkLocalization();
        app.MapRazorPages();
        app.MapLinkSdkApi();
        app.MapConsentrySandbox();
        return app;
    }
}
