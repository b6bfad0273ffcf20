using System.Reflection;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Consentry.Core.Persistence.Migrations;

/// <summary>
/// A migration whose body is an SQL script embedded in the provider's migrations assembly, named like the migration.
/// The migrations before the EF baseline (20261206090000_EfBaseline) are these, from when EF's design-time package
/// was not served; they stay because deployed databases have them applied. New migrations are EF's own
/// (tools/add-migration.sh, docs/architecture.md#how-to-change-the-schema).
/// </summary>
public abstract class SqlScriptMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var id = GetType().GetCustomAttribute<MigrationAttribute>()?.Id
            ?? throw new InvalidOperationException($"{GetType().Name} has no [Migration] attribute.");
        var assembly = GetType().Assembly;
        using var stream = assembly.GetManifestResourceStream($"{id}.sql")
            ?? throw new InvalidOperationException($"Migration script {id}.sql is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        migrationBuilder.Sql(reader.ReadToEnd());
    }

    protected override void Down(MigrationBuilder migrationBuilder) =>
        throw new NotSupportedException("Consentry migrations only go forward; restore a backup to go back.");
}
