
namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>The values of the running system's secret parameters, by what tests use them for.</summary>
public sealed class TestSecrets(IReadOnlyDictionary<string, string> values)
{
    /// <summary>The parameter holding the password of the test-only users (carol, dave, erin, grace).</summary>
    public const string TestUserPasswordName = "test-user-password";

    public string AlicePassword => values["alice-password"];
    public string BobPassword => values["bob-password"];
    public string WebClientSecret => values["webclient-secret"];
    public string WorkerClientKey => values[AppHostFixture.WorkerClientKeyParameter];
    public string AssertionClientKey => values[$"{AppHostFixture.AssertionClientId}-key"];
    public string CodeClientSecret => values[$"{AppHostFixture.CodeClientId}-secret"];
    public string ResourceApiSecret => values["resource-api-secret"];
    public string KeyAdminSecret => values["key-admin-secret"];
    public string KeyRingCertificate => values[AppHostFixture.KeyRingCertificateParameter];
    public string KeyRingCertificatePassword => values[$"{AppHostFixture.KeyRingCertificateParameter}-password"];
    public string TestUserPassword => values[TestUserPasswordName];
    public string ImplicitClientSecret => values[$"{AppHostFixture.ImplicitClientId}-secret"];
    public string MachineClientSecret => values[$"{AppHostFixture.MachineClientId}-secret"];
    public string ShortLivedClientSecret => values[$"{AppHostFixture.ShortLivedClientId}-secret"];
    public string ChangingClientSecret => values[$"{AppHostFixture.ChangingClientId}-secret"];

    /// <summary>Every secret value the system was given.</summary>
    public IEnumerable<string> All => values.Values;

    public static async Task<TestSecrets> ReadAsync(IEnumerable<ParameterResource> parameters, CancellationToken ct)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
            values[parameter.Name] = await parameter.GetValueAsync(ct) ?? throw new InvalidOperationException($"Parameter {parameter.Name} has no value.");
        return new TestSecrets(values);
    }
}
