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
/// assembly, because branches take id slots ahead of the clock (and some slots, like 20261204300000, are no real time):
/// a migration sorting before one it follows would run first on a new database. So a new id's 14 digits are the
/// later of now and the last id's digits plus one.
/// </summary>
public sealed class OrderedMigrationsIdGenerator(Assembly migrationsAssembly, TimeProvider clock) : IMigrationsIdGenerator
{
    private const int Digits = 14;

    public string GenerateId(string name)
    {
        var now = clock.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var last = migrationsAssembly.GetTypes()
            .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id)
            .Where(id => id is not null && IsValidId(id))
            .Select(id => long.Parse(id![..Digits], CultureInfo.InvariantCulture))
            .DefaultIfEmpty(0)
            .Max();
        var next = (last + 1).ToString(CultureInfo.InvariantCulture).PadLeft(Digits, '0');
        return $"{(string.CompareOrdinal(now, next) > 0 ? now : next)}_{name}";
    }

    public string GetName(string id) => id[(Digits + 1)..];

    public bool IsValidId(string value) =>
        value.Length > Digits + 1 && value[Digits] == '_' && value[..Digits].All(char.IsAsciiDigit);
}
