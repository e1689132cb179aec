namespace OAuthDemo.IntegrationTests;

/// <summary>
/// A mode that cannot serve must stop the AppHost while it is being built, with a message that
/// says what to do, instead of leaving dependents waiting forever.
/// </summary>
public class PostgresModeStartupTests
{
    [Fact]
    public async Task Local_mode_without_binaries_stops_the_apphost_with_install_advice()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
                ["Postgres:Mode=local", "Postgres:BinDirectory=/nonexistent/postgres/bin"],
                Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct));

        Assert.Contains("apt-get install postgresql", Flatten(error));
    }

    [Fact]
    public async Task External_mode_without_connection_string_names_the_setting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
                ["Postgres:Mode=external"],
                Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct));

        Assert.Contains("ConnectionStrings:postgres", Flatten(error));
    }

    private static string Flatten(Exception error)
    {
        var messages = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
            messages.Add(e.Message);
        return string.Join(" | ", messages);
    }
}
