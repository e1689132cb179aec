using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebClient.Data.Migrations
{
    /// <inheritdoc />
    public partial class SessionRefreshClaim : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RefreshStartedAt",
                table: "Sessions",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RefreshStartedAt",
                table: "Sessions");
        }
    }
}
