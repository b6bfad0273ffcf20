using Consentry.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consentry.Features.Monitoring;

/// <summary>Our extension: the auth-flow overview that Codat shows only in its portal, as JSON.</summary>
public static class MonitoringApi
{
    public static RouteGroupBuilder MapMonitoringApi(this RouteGroupBuilder api)
    {
        api.MapGet("/monitoring/authFlow", GetAuthFlow).WithTags("Monitoring").WithName("get-auth-flow-overview");
        return api;
    }

    public static WebApplicationBuilder AddMonitoring(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<AuthFlowRollups>();
        builder.Services.AddScoped<AuthFlowQuery>();
        return builder;
    }

    internal static async Task<Results<Ok<AuthFlowOverview>, CodatError>> GetAuthFlow(
        string? from, string? to, string? sourceType, AuthFlowQuery query, TimeProvider time, CancellationToken ct)
    {
        var filter = AuthFlowFilter.Parse(from, to, sourceType, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        return filter.IsSuccess ? TypedResults.Ok(await query.RunAsync(filter.Value!, ct)) : new CodatError(filter.Error!);
    }
}
