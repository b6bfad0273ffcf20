using Consentry.Connectors.Generic;
using Consentry.Connectors.OAuth2;
using Consentry.Core.Integrations;
using Consentry.Infrastructure.Http;
using Consentry.Sandbox.Simulators;
using Microsoft.Extensions.Options;

namespace Consentry.Connectors;

internal static class ConnectorsSetup
{
    public const string SimulatorsPrefix = "/simulators";

    /// <summary>
    /// The platform connectors (one per real platform, the generic one for the rest), where each platform lives
    /// (<c>Consentry:Platforms:{key}</c>), and the simulators that stand in for the vendors when
    /// <c>Consentry:Platforms:UseSimulators</c> is on.
    /// </summary>
    public static WebApplicationBuilder AddPlatformConnectors(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(PlatformsOptions.Section);
        builder.Services.AddOptions<PlatformsOptions>().Bind(section);
        builder.Services.AddSingleton<IConfigureOptions<PlatformHostOptions>>(new PlatformHostBinding(section));
        builder.Services.AddSingleton<IPostConfigureOptions<PlatformHostOptions>, SimulatedPlatformHosts>();
        builder.Services.AddSingleton<PlatformHosts>();
        builder.Services.AddSingleton<PlatformHttp>();
        builder.Services.AddSingleton<CatalogueConnector>();
        builder.Services.AddSingleton<PlatformConnectors>();
        builder.Services.AddSingleton<CredentialConnectors>();
        // One line per credential connector (platforms that take an API key: docs/platforms/credentials.md):
        builder.Services.AddSingleton<ICredentialConnector, Platforms.Stripe.StripeRestrictedKeys>();
        // One line per platform connector:
        builder.Services.AddSingleton<Platforms.Xero.XeroOrganisationGate>().AddSingleton<IPlatformConnector, Platforms.Xero.XeroConnector>();
        builder.Services.AddSingleton<IPlatformConnector, Platforms.QuickBooks.QuickBooksConnector>();
        builder.Services.AddSingleton<Platforms.Plaid.PlaidClient>().AddSingleton<Platforms.Plaid.PlaidHandOff>().AddSingleton<IPlatformConnector, Platforms.Plaid.PlaidConnector>();
        builder.Services.AddSingleton<IPlatformConnector, Platforms.TrueLayer.TrueLayerConnector>();
        builder.Services.AddSingleton<IPlatformConnector, Platforms.Stripe.StripeConnector>();
        builder.Services.AddSingleton<Platforms.Shopify.ShopifyThrottle>().AddSingleton<IPlatformConnector, Platforms.Shopify.ShopifyConnector>();
        builder.Services.AddPlatformSimulators();
        return builder;
    }

    public static WebApplication MapPlatformSimulators(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<PlatformsOptions>>().Value;
        if (options.UseSimulators)
        {
            var urls = app.Services.GetRequiredService<PublicUrls>();
            foreach (var simulator in app.Services.GetServices<IPlatformSimulator>())
            {
                simulator.RedirectUris.Add(urls.Absolute(PlatformClients.CallbackPath(simulator.PlatformKey)));
            }

            app.MapPlatformSimulators(SimulatorsPrefix);
        }

        return app;
    }

    /// <summary>Binds <c>Consentry:Platforms:{key}</c> to the options named by the platform key.</summary>
    private sealed class PlatformHostBinding(IConfiguration section) : IConfigureNamedOptions<PlatformHostOptions>
    {
        public void Configure(string? name, PlatformHostOptions options)
        {
            if (!string.IsNullOrEmpty(name))
            {
                section.GetSection(name).Bind(options);
            }
        }

        public void Configure(PlatformHostOptions options) => Configure(Options.DefaultName, options);
    }

    /// <summary>With simulators on, a platform that has one is pointed at it (what the operator set explicitly still wins).</summary>
    private sealed class SimulatedPlatformHosts(IOptions<PlatformsOptions> platforms, IEnumerable<IPlatformSimulator> simulators, PublicUrls urls)
        : IPostConfigureOptions<PlatformHostOptions>
    {
        public void PostConfigure(string? name, PlatformHostOptions options)
        {
            if (!platforms.Value.UseSimulators || simulators.FirstOrDefault(s => s.PlatformKey == name) is not { } simulator)
            {
                return;
            }

            var hosts = simulator.HostsUnder(urls.Absolute($"{SimulatorsPrefix}/{simulator.Name}"));
            options.AuthorizeUrl ??= hosts.AuthorizeUrl;
            options.TokenUrl ??= hosts.TokenUrl;
            options.RevokeUrl ??= hosts.RevokeUrl;
            options.IdentityUrl ??= hosts.IdentityUrl;
            options.ApiBaseUrl ??= hosts.ApiBaseUrl;
            options.ClientId ??= simulator.ClientId;
            options.ClientSecret ??= simulator.ClientSecret;
            options.Simulated = true;
        }
    }
}
