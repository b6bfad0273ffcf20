using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Consentry.Infrastructure.Idempotency;

/// <summary>
/// Deletes expired keys now and then. Every instance runs it; one <c>DELETE … WHERE Expires &lt;= now</c> is safe to run
/// twice at once (the second deletes nothing), so no lease is needed.
/// </summary>
internal sealed class IdempotencyCleanup(
    IServiceScopeFactory scopes, IOptions<IdempotencyOptions> options, TimeProvider time, ILogger<IdempotencyCleanup> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.CleanupIntervalMinutes), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await DeleteExpiredAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Deleting expired idempotency keys failed; trying again at the next interval.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task<int> DeleteExpiredAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        return await db.IdempotencyRecords.IgnoreQueryFilters().Where(r => r.Expires <= now).ExecuteDeleteAsync(ct);
    }
}
