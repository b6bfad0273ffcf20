using Consentry.Core.Tenancy;
using Microsoft.AspNetCore.Authentication;

namespace Consentry.Infrastructure.Tenancy;

internal static class TenancySetup
{
    public const string PlatformApiPolicy = "PlatformApi";

    public static WebApplicationBuilder AddTenancy(this WebApplicationBuilder builder)
    {
        builder.Services.AddMemoryCache();
        builder.Services.AddScoped<ClientContext>();
        builder.Services.AddScoped<IClientContext>(sp => sp.GetRequiredService<ClientContext>());
        builder.Services.AddScoped<CurrentClient>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PlatformApiPolicy, p => p
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireClaim(ApiKeyAuthenticationHandler.ClientIdClaim));
        return builder;
    }
}
