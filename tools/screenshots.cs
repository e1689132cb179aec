#:package Microsoft.Playwright
#:property PublishAot=false
// (Playwright serializes with reflection, which a file-based app's default native AOT turns off.)
// Takes the README's screenshots by walking its guided tour in headless Chromium (Playwright), on
// a system that is already running: docs/images/screenshots.sh starts one on a new database and
// runs this. Alice's password comes from ALICE_PASSWORD and the dashboard's login link from
// DASHBOARD_LOGIN_URL (not needed if the dashboard allows anonymous access); nothing is printed.
//   dotnet run tools/screenshots.cs -- <output folder> [web client] [auth server] [dashboard]
using Microsoft.Playwright;

var output = Path.GetFullPath(args.ElementAtOrDefault(0) ?? "docs/images");
var web = (args.ElementAtOrDefault(1) ?? "http://localhost:5300").TrimEnd('/');
var authServer = (args.ElementAtOrDefault(2) ?? "http://localhost:5100").TrimEnd('/');
var dashboard = (args.ElementAtOrDefault(3) ?? "http://localhost:15888").TrimEnd('/');
var password = Environment.GetEnvironmentVariable("ALICE_PASSWORD");
if (string.IsNullOrEmpty(password))
{
    Console.Error.WriteLine("Set ALICE_PASSWORD (the AppHost's parameter alice-password) first.");
    return 1;
}
Directory.CreateDirectory(output);

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking"],
});
await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 860 } });
context.SetDefaultTimeout(60_000);
var page = await context.NewPageAsync();

// 3. Sign in: the password is typed at the auth server, then the scopes are allowed.
await page.GotoAsync(web + "/");
await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).First.ClickAsync();
await page.WaitForURLAsync(url => url.StartsWith(authServer + "/account/login", StringComparison.Ordinal));
await page.Locator("input[name=username]").FillAsync("alice");
await page.Locator("input[name=password]").FillAsync(password);
await ShotAsync("login");
await page.Locator("form button[type=submit]").ClickAsync();
await page.Locator("button[name=decision][value=allow]").WaitForAsync();
await ShotAsync("consent");
await page.Locator("button[name=decision][value=allow]").ClickAsync();
await page.WaitForURLAsync(url => url.StartsWith(web + "/", StringComparison.Ordinal));

// 4. Notes, through the API.
await page.GotoAsync(web + "/notes");
foreach (var text in new[] { "Read RFC 9700, section 2.1", "Try the attack lab" })
{
    await page.Locator("#text").FillAsync(text);
    await page.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
    await page.GetByTestId("note").Filter(new() { HasText = text }).WaitForAsync();
}
await ShotAsync("notes");

// 5. The flow inspector.
await page.GotoAsync(web + "/flow");
await page.GetByTestId("flow-step").First.WaitForAsync();
await ShotAsync("flow-inspector");

// 6. One step followed into the dashboard: the token request's span in the trace of the sign-in.
var tokenRequest = page.GetByTestId("flow-step").Filter(new() { Has = page.Locator("h2", new() { HasTextString = "Token request" }) }).First;
var spanLink = await tokenRequest.GetByTestId("span-link").GetAttributeAsync("href")
    ?? throw new InvalidOperationException("The token request step has no span link.");
if (!spanLink.StartsWith(dashboard, StringComparison.Ordinal))
    throw new InvalidOperationException($"The span link {spanLink} is not on the dashboard {dashboard}.");
var trace = await context.NewPageAsync();
// The dashboard's login link (the AppHost prints it) sets its auth cookie for the rest of the run.
if (Environment.GetEnvironmentVariable("DASHBOARD_LOGIN_URL") is { Length: > 0 } dashboardLogin)
    await trace.GotoAsync(dashboardLogin);
// Spans reach the dashboard a few seconds after the request: look again until the step is there.
for (var attempt = 0; ; attempt++)
{
    await trace.GotoAsync(spanLink);
    try
    {
        await trace.GetByText("Flow step: Token request").First.WaitForAsync(new() { Timeout = 10_000 });
        break;
    }
    catch (TimeoutException) when (attempt < 5)
    {
    }
}
// The "no trusted development certificate" notice is harmless under the http profile (the README
// says why); dismissed as a reader would, so the picture shows the trace.
try
{
    // The notice renders shortly after the page.
    await trace.Locator("[aria-label='Dismiss notification']").First.ClickAsync(new() { Timeout = 5_000 });
}
catch (TimeoutException)
{
    // No notice (the certificate is trusted): nothing to dismiss.
}
await trace.WaitForTimeoutAsync(2_000); // the span details pane slides in
await ShotAsync("dashboard-trace", trace);
await trace.CloseAsync();

// 8. The SPA: the same sign-in (the auth server's cookie is still there), run by the page itself.
await page.GotoAsync(web + "/spa");
await page.GetByTestId("spa-signin").ClickAsync();
// The SPA is its own client, so the auth server asks for its consent once; then the page is back.
var spaConsent = page.Locator("button[name=decision][value=allow]");
var spaSignedIn = page.GetByTestId("spa-status").Filter(new() { HasText = "held in memory" });
await spaConsent.Or(spaSignedIn).WaitForAsync();
if (await spaConsent.IsVisibleAsync())
    await spaConsent.ClickAsync();
await spaSignedIn.WaitForAsync();
await ShotAsync("spa");

// 9. The attack lab: a stolen code, refused without its verifier (the card alone).
await page.GotoAsync(web + "/lab");
var stolen = page.GetByTestId("attack-stolen-code");
await stolen.GetByTestId("run-stolen-code").ClickAsync();
await stolen.GetByTestId("outcome").WaitForAsync();
await ShotAsync("lab", element: stolen);
return 0;

/// <summary>A screenshot of the page (or of <paramref name="on"/>, or of one element) as &lt;name&gt;.png.</summary>
async Task ShotAsync(string name, IPage? on = null, ILocator? element = null)
{
    var path = Path.Combine(output, name + ".png");
    if (element is not null)
        await element.ScreenshotAsync(new() { Path = path }); // scrolls it into view first
    else
        await (on ?? page).ScreenshotAsync(new() { Path = path });
    Console.WriteLine($"  {path}");
}
