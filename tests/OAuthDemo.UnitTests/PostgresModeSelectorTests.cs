using OAuthDemo.AppHost.Postgres;

namespace OAuthDemo.UnitTests;

public class PostgresModeSelectorTests
{
    private const string Bin = "/usr/lib/postgresql/15/bin";

    private static Func<bool> Runtime(bool healthy, List<string>? calls = null) => () =>
    {
        calls?.Add("runtime");
        return healthy;
    };

    private static Func<string?> Binaries(string? dir, List<string>? calls = null) => () =>
    {
        calls?.Add("binaries");
        return dir;
    };

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("auto")]
    [InlineData("AUTO")]
    public void Auto_with_a_connection_string_picks_external_without_probing(string? mode)
    {
        var calls = new List<string>();

        var decision = PostgresModeSelector.Decide(mode, hasConnectionString: true, Runtime(true, calls), Binaries(Bin, calls));

        Assert.Equal(PostgresMode.External, decision.Mode);
        Assert.Empty(calls);
    }

    [Fact]
    public void Auto_with_a_healthy_container_runtime_picks_container()
    {
        var decision = PostgresModeSelector.Decide("auto", hasConnectionString: false, Runtime(true), Binaries(Bin));

        Assert.Equal(PostgresMode.Container, decision.Mode);
    }

    [Fact]
    public void Auto_without_runtime_but_with_binaries_picks_local_and_says_where()
    {
        var decision = PostgresModeSelector.Decide("auto", hasConnectionString: false, Runtime(false), Binaries(Bin));

        Assert.Equal(PostgresMode.Local, decision.Mode);
        Assert.Equal(Bin, decision.BinDirectory);
        Assert.Contains("no container runtime", decision.Reason);
        Assert.Contains(Bin, decision.Reason);
    }

    [Fact]
    public void Auto_with_nothing_available_stops_and_names_all_three_ways()
    {
        var error = Assert.Throws<PostgresUnavailableException>(() =>
            PostgresModeSelector.Decide("auto", hasConnectionString: false, Runtime(false), Binaries(null)));

        Assert.Contains("Docker", error.Message);
        Assert.Contains("apt-get install postgresql", error.Message);
        Assert.Contains("ConnectionStrings:postgres", error.Message);
    }

    [Fact]
    public void Container_without_a_runtime_fails_fast_instead_of_waiting()
    {
        var error = Assert.Throws<PostgresUnavailableException>(() =>
            PostgresModeSelector.Decide("container", hasConnectionString: false, Runtime(false), Binaries(Bin)));

        Assert.Contains("no container runtime answered", error.Message);
        Assert.Contains("Postgres__Mode=local", error.Message);
    }

    [Fact]
    public void Explicit_container_ignores_the_connection_string()
    {
        var decision = PostgresModeSelector.Decide("container", hasConnectionString: true, Runtime(true), Binaries(null));

        Assert.Equal(PostgresMode.Container, decision.Mode);
    }

    [Fact]
    public void Explicit_local_does_not_ask_the_container_runtime()
    {
        var calls = new List<string>();

        var decision = PostgresModeSelector.Decide("local", hasConnectionString: true, Runtime(true, calls), Binaries(Bin, calls));

        Assert.Equal(PostgresMode.Local, decision.Mode);
        Assert.Equal(["binaries"], calls);
    }

    [Fact]
    public void Local_without_binaries_says_what_to_install()
    {
        var error = Assert.Throws<PostgresUnavailableException>(() =>
            PostgresModeSelector.Decide("local", hasConnectionString: false, Runtime(true), Binaries(null)));

        Assert.Contains("apt-get install postgresql", error.Message);
        Assert.Contains("Postgres:BinDirectory", error.Message);
    }

    [Fact]
    public void External_without_a_connection_string_names_the_setting()
    {
        var error = Assert.Throws<PostgresUnavailableException>(() =>
            PostgresModeSelector.Decide("external", hasConnectionString: false, Runtime(true), Binaries(Bin)));

        Assert.Contains("ConnectionStrings:postgres", error.Message);
    }

    [Fact]
    public void An_unknown_mode_lists_the_valid_ones()
    {
        var error = Assert.Throws<PostgresUnavailableException>(() =>
            PostgresModeSelector.Decide("docker", hasConnectionString: false, Runtime(true), Binaries(Bin)));

        Assert.Contains("auto, container, local, external", error.Message);
    }
}
