using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Consentry.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RecordsByUpdated : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_records_ConnectionId_DataType_Updated",
                table: "records",
                columns: new[] { "ConnectionId", "DataType", "Updated" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_records_ConnectionId_DataType_Updated",
                table: "records");
        }
    }
}
