#:project ../Worker/Worker.csproj
// Prints a client assertion for the worker client (private_key_jwt, RFC 7523), to try the client
// credentials grant by hand, as the README shows:
//   dotnet run tools/client-assertion.cs [issuer] [client_id]
// The private key is the one the AppHost generated (its user secrets, Parameters:worker-client-key),
// or the PEM in the WORKER_CLIENT_KEY environment variable. The assertion is valid for 60 s, once.
using System.Text.Json;
using Microsoft.Extensions.Options;
using OAuthDemo.Worker;
using OAuthDemo.Worker.Tokens;

var issuer = args.ElementAtOrDefault(0) ?? "http://localhost:5100/";
var clientId = args.ElementAtOrDefault(1) ?? "worker";

var pem = Environment.GetEnvironmentVariable("WORKER_CLIENT_KEY") ?? ReadAppHostSecret("Parameters:worker-client-key");
if (pem is null)
{
    Console.Error.WriteLine("No key: run the AppHost once (it generates Parameters:worker-client-key) or set WORKER_CLIENT_KEY to a PEM private key.");
    return 1;
}

// The worker's own code signs it: the same claims, lifetime and kid as the running worker's.
using var assertions = new ClientAssertions(Options.Create(new WorkerSettings { ClientId = clientId, ClientKey = pem }), TimeProvider.System);
Console.WriteLine(assertions.Create(issuer));
return 0;

// The AppHost's user secrets (UserSecretsId in AppHost/AppHost.csproj).
static string? ReadAppHostSecret(string name)
{
    var path = OperatingSystem.IsWindows()
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "Microsoft", "UserSecrets", "oauthdemo-apphost-6f1c2a", "secrets.json")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".microsoft", "usersecrets", "oauthdemo-apphost-6f1c2a", "secrets.json");
    if (!File.Exists(path))
        return null;
    using var secrets = JsonDocument.Parse(File.ReadAllText(path));
    return secrets.RootElement.TryGetProperty(name, out var value) ? value.GetString() : null;
}
