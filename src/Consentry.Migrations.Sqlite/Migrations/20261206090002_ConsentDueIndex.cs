using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Consentry.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ConsentDueIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_connections_consent_due",
                table: "connections",
                column: "ConsentExpiresAt",
                filter: "\"ConsentExpiresAt\" IS NOT NULL AND \"Status\" = 'Linked'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_connections_consent_due",
                table: "connections");
        }
    }
}
