using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Options;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Consentry.Infrastructure.Http;

internal static class PlatformApiSetup
{
    /// <summary>Options (validated at start), Codat's JSON conventions, body limits and the one error mapping.</summary>
    public static WebApplicationBuilder AddPlatformApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsentryOptions>()
            .Bind(builder.Configuration.GetSection(ConsentryOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ConsentryOptions>, ConsentryOptionsValidator>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PublicUrls>();

        builder.Services.Configure<JsonOptions>(o => ApiJson.Configure(o.SerializerOptions));
        // Binding failures (malformed JSON, wrong types, bad query values) throw, so ExceptionMapping gives them Codat's body.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<ExceptionMapping>();
        builder.Services.AddProblemDetails();
        return builder;
    }

    /// <summary>The Codat-compatible API: every route needs an API key, and is scoped to that key's client.</summary>
    public static RouteGroupBuilder MapPlatformApi(this WebApplication app) =>
        app.MapGroup("").RequireAuthorization(TenancySetup.PlatformApiPolicy);
}
