namespace OAuthDemo.IntegrationTests;

/// <summary>Tests that stop a service: they run alone, after every parallel test has finished.</summary>
[CollectionDefinition(nameof(DisruptiveTests), DisableParallelization = true)]
public sealed class DisruptiveTests;
