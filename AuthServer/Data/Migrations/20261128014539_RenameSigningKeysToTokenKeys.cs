using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthServer.Data.Migrations
{
    /// <summary>
    /// The table holds encryption keys too, so it is named for what it holds. Renamed in place:
    /// dropping it would lose every key, and with them every token already issued.
    /// </summary>
    public partial class RenameSigningKeysToTokenKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(name: "PK_SigningKeys", table: "SigningKeys");
            migrationBuilder.RenameTable(name: "SigningKeys", newName: "TokenKeys");
            migrationBuilder.RenameIndex(name: "IX_SigningKeys_Use_ActivatesAt", table: "TokenKeys", newName: "IX_TokenKeys_Use_ActivatesAt");
            migrationBuilder.AddPrimaryKey(name: "PK_TokenKeys", table: "TokenKeys", column: "Id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(name: "PK_TokenKeys", table: "TokenKeys");
            migrationBuilder.RenameTable(name: "TokenKeys", newName: "SigningKeys");
            migrationBuilder.RenameIndex(name: "IX_TokenKeys_Use_ActivatesAt", table: "SigningKeys", newName: "IX_SigningKeys_Use_ActivatesAt");
            migrationBuilder.AddPrimaryKey(name: "PK_SigningKeys", table: "SigningKeys", column: "Id");
        }
    }
}
