namespace OAuthDemo.IntegrationTests;

/// <summary>Imported statically in every file (see the project file).</summary>
public static class TestCancellation
{
    /// <summary>The running test's token: cancelled when the run is aborted or the test times out.</summary>
    public static CancellationToken Ct => TestContext.Current.CancellationToken;
}
