using System.Globalization;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Core.Persistence.Migrations;

/// <summary>
/// How <c>dotnet ef</c> makes the context for one provider's migrations assembly (each has a sealed subclass). No
/// database is reached to add a migration: the connection string only selects the provider and its model.
/// </summary>
public abstract class ConsentryDesignTimeFactory(DatabaseProvider provider) : IDesignTimeDbContextFactory<ConsentryDbContext>
{
    public ConsentryDbContext CreateDbContext(string[] args)
    {
        var connectionString = provider == DatabaseProvider.Sqlite ? "Data Source=:memory:" : "Host=localhost";
        var options = new DbContextOptionsBuilder<ConsentryDbContext>().UseConsentryDatabase(provider, connectionString);
        return new ConsentryDbContext((DbContextOptions<ConsentryDbContext>)options.Options);
    }
}

/// <summary>Design-time services of a migrations assembly: new migration ids always sort after the existing ones.</summary>
public abstract class ConsentryDesignTimeServices : IDesignTimeServices
{
    public void ConfigureDesignTimeServices(IServiceCollection serviceCollection) =>
        serviceCollection.AddSingleton<IMigrationsIdGenerator>(new OrderedMigrationsIdGenerator(GetType().Assembly, TimeProvider.System));
}

/// <summary>
/// EF's ids are the UTC time of <c>migrations add</c>; ours must also sort after every migration already in the
/// assembly, because branches take id slots ahead of the clock (a migration sorting before one it follows would run
/// first on a new database). So a new id is the later of now and the last id plus one second.
/// </summary>
public sealed class OrderedMigrationsIdGenerator(Assembly migrationsAssembly, TimeProvider clock) : IMigrationsIdGenerator
{
    private const string Format = "yyyyMMddHHmmss";

    public string GenerateId(string name)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var last = migrationsAssembly.GetTypes()
            .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id)
            .Where(id => id is { Length: > 15 } && IsValidId(id))
            .Select(id => DateTime.ParseExact(id![..Format.Length], Format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal))
            .DefaultIfEmpty(DateTime.MinValue)
            .Max();
        var stamp = now > last ? now : last.AddSeconds(1);
        return $"{stamp.ToString(Format, CultureInfo.InvariantCulture)}_{name}";
    }

    public string GetName(string id) => id[(Format.Length + 1)..];

    public bool IsValidId(string value) =>
        value.Length > Format.Length + 1 && value[Format.Length] == '_' && value[..Format.Length].All(char.IsAsciiDigit);
}
