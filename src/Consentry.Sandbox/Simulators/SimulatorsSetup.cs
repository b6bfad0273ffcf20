using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Sandbox.Simulators;

public static class SimulatorsSetup
{
    /// <summary>Registers every platform simulator (singletons: each keeps its own state in memory, as the sandboxes do).</summary>
    public static IServiceCollection AddPlatformSimulators(this IServiceCollection services)
    {
        // One line per simulator:
        services.AddPlatformSimulator<Xero.XeroSimulator>();
        services.AddPlatformSimulator<QuickBooks.QuickBooksSimulator>();
        services.AddPlatformSimulator<Plaid.PlaidSimulator>();
        services.AddPlatformSimulator<TrueLayer.TrueLayerSimulator>();
        services.AddPlatformSimulator<Stripe.StripeSimulator>();
        services.AddPlatformSimulator<Shopify.ShopifySimulator>();
        return services;
    }

    public static IServiceCollection AddPlatformSimulator<TSimulator>(this IServiceCollection services)
        where TSimulator : class, IPlatformSimulator
    {
        services.AddSingleton<TSimulator>();
        services.AddSingleton<IPlatformSimulator>(sp => sp.GetRequiredService<TSimulator>());
        return services;
    }

    /// <summary>Maps each simulator under <c>{prefix}/{name}</c>, outside the host's authentication and API description.</summary>
    public static IEndpointRouteBuilder MapPlatformSimulators(this IEndpointRouteBuilder endpoints, string prefix = "/simulators")
    {
        foreach (var simulator in endpoints.ServiceProvider.GetServices<IPlatformSimulator>())
        {
            simulator.Map(endpoints.MapGroup($"{prefix}/{simulator.Name}").AllowAnonymous().ExcludeFromDescription());
        }

        return endpoints;
    }
}
