using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebClient.Data.Migrations
{
    /// <inheritdoc />
    public partial class FlowStepKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Key",
                table: "FlowSteps",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Key",
                table: "FlowSteps");
        }
    }
}
