namespace Consentry.Infrastructure.Work;

/// <summary>A background service that does one small thing at start and then every <see cref="Interval"/> until stopped.</summary>
public abstract class PeriodicWork : BackgroundService
{
    protected abstract TimeSpan Interval { get; }

    /// <summary>One run; it handles its own failures (a failed run waits for the next tick).</summary>
    public abstract Task RunAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                await RunAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
