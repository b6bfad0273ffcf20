namespace Consentry.Infrastructure.Hosting;

/// <summary>
/// Start-up leaves garbage behind (EF's model building, the migrator, the bootstrap's first queries, the endpoints'
/// metadata) that a quiet instance would keep committed until its next full collection, which an idle process may
/// never run. One aggressive collection once the host has started returns it to the operating system
/// (docs/benchmarks.md, "Start and idle memory"). <c>Consentry:CompactAfterStart</c> turns it on or off; it is off in
/// Development (<c>dotnet run</c>, and the test hosts, dozens of which share one process whose heap it would compact).
/// </summary>
internal static class StartupMemory
{
    public const string Setting = "Consentry:CompactAfterStart";

    public static WebApplication CompactAfterStart(this WebApplication app)
    {
        if (app.Configuration.GetValue(Setting, defaultValue: !app.Environment.IsDevelopment()))
        {
            // Off the thread that raises ApplicationStarted, so the host's start does not wait for it.
            app.Lifetime.ApplicationStarted.Register(() => ThreadPool.QueueUserWorkItem(
                static _ => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true)));
        }

        return app;
    }
}
