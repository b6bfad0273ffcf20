using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Consentry.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DatasetsByConnection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_datasets_ClientId_Completed",
                table: "datasets");

            migrationBuilder.CreateIndex(
                name: "IX_datasets_ClientId_Completed",
                table: "datasets",
                columns: new[] { "ClientId", "Completed" },
                filter: "\"Completed\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_datasets_ConnectionId_Status_DataType",
                table: "datasets",
                columns: new[] { "ConnectionId", "Status", "DataType" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_datasets_ClientId_Completed",
                table: "datasets");

            migrationBuilder.DropIndex(
                name: "IX_datasets_ConnectionId_Status_DataType",
                table: "datasets");

            migrationBuilder.CreateIndex(
                name: "IX_datasets_ClientId_Completed",
                table: "datasets",
                columns: new[] { "ClientId", "Completed" });
        }
    }
}
