using Microsoft.EntityFrameworkCore.Migrations;

namespace Consentry.Core.Persistence.Migrations;

/// <summary>
/// A migration that only records the model (its Designer's target model and the updated snapshot) and changes no
/// schema, because <see cref="SqlScriptMigration"/>s before it already made that schema. Used by the EF baseline and by
/// <c>tools/add-migration.sh --snapshot-only</c> after SQL script migrations are merged; the schema-equals-model test
/// proves the scripts really made what the snapshot says.
/// </summary>
public abstract class SnapshotOnlyMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
    }

    protected override void Down(MigrationBuilder migrationBuilder) =>
        throw new NotSupportedException("Consentry migrations only go forward; restore a backup to go back.");
}
