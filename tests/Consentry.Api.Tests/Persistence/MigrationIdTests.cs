using System.Reflection;
using Consentry.Core.Persistence.Migrations;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Time.Testing;

namespace Consentry.Api.Tests.Persistence;

/// <summary>New migration ids sort after every existing one, even when branches' id slots are ahead of the clock.</summary>
public sealed class MigrationIdTests
{
    public static TheoryData<string> Providers => new() { "Sqlite", "Postgres" };

    [Theory]
    [MemberData(nameof(Providers))]
    public void GenerateId_WhenTheClockIsBehindTheLastId_SortsAfterEveryMigration(string provider)
    {
        var assembly = Assembly.Load($"Consentry.Migrations.{provider}");
        var ids = new OrderedMigrationsIdGenerator(assembly, new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)));

        var id = ids.GenerateId("Next");

        var existing = assembly.GetTypes().Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id).OfType<string>().ToList();
        Assert.NotEmpty(existing);
        Assert.All(existing, e => Assert.True(string.CompareOrdinal(id, e) > 0, $"{id} sorts before {e}"));
        Assert.True(ids.IsValidId(id));
        Assert.Equal("Next", ids.GetName(id));
    }

    [Fact]
    public void GenerateId_WhenTheClockIsAhead_IsTheTime()
    {
        var ids = new OrderedMigrationsIdGenerator(Assembly.Load("Consentry.Migrations.Sqlite"),
            new FakeTimeProvider(new DateTimeOffset(2099, 1, 2, 3, 4, 5, TimeSpan.Zero)));

        Assert.Equal("20990102030405_Next", ids.GenerateId("Next"));
    }
}
