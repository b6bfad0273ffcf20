using System.Reflection;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Consentry.Core.Persistence.Migrations;

/// <summary>
/// A migration whose body is an SQL script embedded in the provider's migrations assembly, named like the migration.
/// EF Core still orders, records (<c>__EFMigrationsHistory</c>) and locks the migrations; only the body is SQL,
/// because the EF design-time package (which generates C# migrations) is not available from our package source.
/// New scripts come from <c>tools/schema-script</c> and a test proves the migrated schema equals the model.
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
