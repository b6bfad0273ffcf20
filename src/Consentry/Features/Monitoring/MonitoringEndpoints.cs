using Consentry.Infrastructure.Errors;
using Consentry.Features.Monitoring.Experiments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consentry.Features.Monitoring;

/// <summary>Our extension: the auth-flow overview that Codat shows only in its portal, as JSON.</summary>
public static class MonitoringEndpoints
{
    public static RouteGroupBuilder MapMonitoringApi(this RouteGroupBuilder api)
    {
        api.MapGet("/monitoring/authFlow", GetAuthFlow).WithTags("Monitoring").WithName("get-auth-flow-overview");
        api.MapExperimentsApi();
        api.MapGet("/monitoring/platformHealth", PlatformHealthEndpoints.Get).WithTags("Monitoring").WithName("get-platform-health");
        api.MapGet("/monitoring/goLive", GoLiveChecklist.Get).WithTags("Monitoring").WithName("get-go-live-checklist");
        api.MapGet("/monitoring/platformRequests", PlatformRequestList.List).WithTags("Monitoring").WithName("list-platform-requests");
        return api;
    }

    public static WebApplicationBuilder AddMonitoring(this WebApplicationBuilder builder)
    {
        // The counters follow every save that adds journey events (one transaction, one commit).
        builder.Services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor, AuthFlowRollupsInterceptor>();
        builder.Services.AddScoped<AuthFlowQuery>();
        builder.Services.AddScoped<Experiments.LinkVariants>();
        builder.Services.AddScoped<Experiments.ExperimentResults>();
        builder.Services.AddScoped<PlatformHealth>();
        builder.Services.AddScoped<LinkPlatformNotices>();
        builder.Services.AddSingleton<DegradedPlatformsCache>();
        builder.Services.AddScoped<GoLiveChecklist>();
        return builder;
    }

    internal static async Task<Results<Ok<AuthFlowOverview>, CodatError>> GetAuthFlow(
        string? from, string? to, string? sourceType, string? groupBy, AuthFlowQuery query, TimeProvider time, CancellationToken ct)
    {
        var filter = AuthFlowFilter.Parse(from, to, sourceType, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), groupBy);
        return filter.IsSuccess ? TypedResults.Ok(await query.RunAsync(filter.Value!, ct)) : new CodatError(filter.Error!);
    }
}
