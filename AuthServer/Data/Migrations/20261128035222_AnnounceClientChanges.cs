using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthServer.Data.Migrations
{
    /// <summary>
    /// Every change to a client row, by any writer (OpenIddict, another replica, an operator's SQL),
    /// notifies channel oauthdemo_clients with the client id, in the writing transaction, so every
    /// auth server instance drops its in-memory copy (ClientSnapshots). An empty payload means
    /// "any client may have changed".
    /// </summary>
    public partial class AnnounceClientChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION oauthdemo_announce_client_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'TRUNCATE' THEN
                        PERFORM pg_notify('oauthdemo_clients', '');
                        RETURN NULL;
                    END IF;
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN
                        PERFORM pg_notify('oauthdemo_clients', coalesce(OLD."ClientId", ''));
                    END IF;
                    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW."ClientId" IS DISTINCT FROM OLD."ClientId") THEN
                        PERFORM pg_notify('oauthdemo_clients', coalesce(NEW."ClientId", ''));
                    END IF;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER announce_client_change
                    AFTER INSERT OR UPDATE OR DELETE ON "OpenIddictApplications"
                    FOR EACH ROW EXECUTE FUNCTION oauthdemo_announce_client_change();

                CREATE TRIGGER announce_clients_truncated
                    AFTER TRUNCATE ON "OpenIddictApplications"
                    FOR EACH STATEMENT EXECUTE FUNCTION oauthdemo_announce_client_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER announce_clients_truncated ON "OpenIddictApplications";
                DROP TRIGGER announce_client_change ON "OpenIddictApplications";
                DROP FUNCTION oauthdemo_announce_client_change();
                """);
        }
    }
}
