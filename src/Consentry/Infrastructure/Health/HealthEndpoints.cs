using Consentry.Core.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Consentry.Infrastructure.Health;

/// <summary>
/// Health endpoints for load balancers and orchestrators: <c>/healthz/live</c> (the process answers; restart it when
/// not), <c>/healthz/ready</c> (the database answers and every migration is applied; send it traffic only then) and
/// the original <c>/healthz</c> (the database check).
/// </summary>
internal static class HealthEndpoints
{
    private const string Ready = "ready";

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        // The database check itself is registered by AddPersistence (AddDbContextCheck); this adds the schema check.
        builder.Services.AddSingleton<MigrationsAppliedCheck>();
        builder.Services.AddHealthChecks().AddCheck<MigrationsAppliedCheck>("migrations", tags: [Ready]);
        return builder;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = check => !check.Tags.Contains(Ready) }).AllowAnonymous();
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/healthz/ready").AllowAnonymous(); // every check: database and migrations
        return app;
    }
}

/// <summary>
/// Healthy once the database has no pending migration. Another instance of a newer version may migrate the schema while
/// this one runs, so an applied schema stays applied; once seen, the answer is remembered and the check costs nothing.
/// </summary>
internal sealed class MigrationsAppliedCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    private volatile bool _applied;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_applied)
        {
            return HealthCheckResult.Healthy();
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            return HealthCheckResult.Unhealthy($"{pending.Count} migration(s) not applied yet, first {pending[0]}.");
        }

        _applied = true;
        return HealthCheckResult.Healthy();
    }
}
