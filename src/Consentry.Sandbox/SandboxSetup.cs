using Consentry.Sandbox.Control;
using Consentry.Sandbox.Data;
using Consentry.Sandbox.OAuth;
using Consentry.Sandbox.Platforms;
using Consentry.Sandbox.Store;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Consentry.Sandbox;

public static class SandboxServiceCollectionExtensions
{
    /// <summary>
    /// Registers the sandbox platforms, with their settings bound from <paramref name="section"/> (and then
    /// <paramref name="configure"/>, e.g. to register the host itself as a client) and validated when the host starts.
    /// </summary>
    public static IServiceCollection AddConsentrySandbox(
        this IServiceCollection services, IConfiguration section, Action<SandboxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        var options = services.AddOptions<SandboxOptions>().Bind(section);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.AddSingleton<SandboxOptionsSetup>();
        services.AddSingleton<IPostConfigureOptions<SandboxOptions>>(sp => sp.GetRequiredService<SandboxOptionsSetup>());
        services.AddSingleton<IValidateOptions<SandboxOptions>>(sp => sp.GetRequiredService<SandboxOptionsSetup>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddDataProtection();
        services.AddAntiforgery();
        services.AddSingleton<SandboxClients>();
        services.AddSingleton<AuthorizationRequests>();
        services.AddSingleton<DataClock>();

        // In memory: one process, forgotten on restart; enough for a simulator (see InMemorySandboxStore).
        services.TryAddSingleton<ISandboxStore, InMemorySandboxStore>();
        return services;
    }
}

public static class SandboxEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every sandbox platform under <c>{prefix}/{platformKey}/</c>: <c>oauth/authorize</c>, <c>oauth/login</c>,
    /// <c>oauth/consent/accept|deny</c>, <c>oauth/token</c>, <c>oauth/revoke</c>, <c>api/…</c>, <c>control/…</c> and
    /// <c>.well-known/oauth-authorization-server</c>. Returns the group, for host-wide conventions.
    /// </summary>
    public static RouteGroupBuilder MapConsentrySandbox(this IEndpointRouteBuilder endpoints, string prefix = "/sandbox")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<SandboxOptions>>().Value;
        var site = new SandboxSite(prefix, options);

        // The sandbox stands in for third parties: none of the host's authentication applies, and it is not part of
        // the host's API description.
        var root = endpoints.MapGroup(site.Prefix).AllowAnonymous().ExcludeFromDescription();
        foreach (var platform in SandboxPlatforms.All)
        {
            var group = root.MapGroup("/" + platform.Key);
            MapOAuth(group, platform, site);
            foreach (var endpoint in platform.Endpoints)
            {
                group.MapGet("/api/" + endpoint.Path, (HttpContext context, ISandboxStore store, DataClock clock) =>
                    DataApi.Get(context, platform, endpoint, store, clock));
            }

            ControlApi.Map(group, platform);

            // The RFC 8414 location for an issuer with a path, besides the conventional one under the issuer.
            endpoints.MapGet($"/.well-known/oauth-authorization-server{site.Prefix}/{platform.Key}", (HttpContext context) =>
                    MetadataEndpoint.Get(context, platform, site))
                .AllowAnonymous().ExcludeFromDescription();
        }

        return root;
    }

    private static void MapOAuth(RouteGroupBuilder group, SandboxPlatform platform, SandboxSite site)
    {
        group.MapGet("/.well-known/oauth-authorization-server", (HttpContext context) => MetadataEndpoint.Get(context, platform, site));
        group.MapGet("/oauth/authorize", (
                HttpContext context, SandboxClients clients, AuthorizationRequests requests, IAntiforgery antiforgery, TimeProvider time) =>
            AuthorizeEndpoints.Authorize(context, platform, site, clients, requests, antiforgery, time));
        group.MapPost("/oauth/login", (HttpContext context, SandboxClients clients, AuthorizationRequests requests, IAntiforgery antiforgery) =>
            AuthorizeEndpoints.Login(context, platform, site, clients, requests, antiforgery));
        group.MapPost("/oauth/consent/accept", (
                HttpContext context, AuthorizationRequests requests, IAntiforgery antiforgery, ISandboxStore store, TimeProvider time,
                ILoggerFactory loggers) =>
            AuthorizeEndpoints.Decide(context, platform, site, requests, antiforgery, store, time, loggers, accepted: true));
        group.MapPost("/oauth/consent/deny", (
                HttpContext context, AuthorizationRequests requests, IAntiforgery antiforgery, ISandboxStore store, TimeProvider time,
                ILoggerFactory loggers) =>
            AuthorizeEndpoints.Decide(context, platform, site, requests, antiforgery, store, time, loggers, accepted: false));
        group.MapPost("/oauth/token", (
                HttpContext context, SandboxClients clients, ISandboxStore store, TimeProvider time, ILoggerFactory loggers) =>
            TokenEndpoints.Token(context, platform, site, clients, store, time, loggers));
        group.MapPost("/oauth/revoke", (HttpContext context, SandboxClients clients, ISandboxStore store, ILoggerFactory loggers) =>
            TokenEndpoints.Revoke(context, platform, clients, store, loggers));
    }
}
