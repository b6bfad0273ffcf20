using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Consentry.Core.Persistence;

/// <summary>
/// Which database a context talks to, by the provider's name. EF's own <c>IsNpgsql()</c> reads that name from a type
/// of Npgsql's EF provider, which loads the provider's assembly (and Npgsql's) into a SQLite instance that never uses
/// either: a few MiB of mapped images at idle and their start-up cost (docs/benchmarks.md, "Start and idle memory",
/// round 3). <c>StartupAssemblyTests</c> proves a SQLite instance loads neither.
/// </summary>
public static class ProviderCheck
{
    /// <summary>The provider's assembly name, which EF reports as <see cref="DatabaseFacade.ProviderName"/>.</summary>
    public const string PostgresProviderName = "Npgsql.EntityFrameworkCore.PostgreSQL";

    public static bool IsPostgres(this DatabaseFacade database) =>
        string.Equals(database.ProviderName, PostgresProviderName, StringComparison.Ordinal);
}
