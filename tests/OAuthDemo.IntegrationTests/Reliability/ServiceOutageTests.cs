using System.Diagnostics;
using System.Net;
using OAuthDemo.IntegrationTests.Infrastructure;
using OAuthDemo.IntegrationTests.Worker;

namespace OAuthDemo.IntegrationTests.Reliability;

/// <summary>
/// A whole service stops (Aspire's resource-stop, as the dashboard does) and starts again: what
/// does not need it keeps working, what does says so within seconds (never a 500 or a hang), and
/// everything recovers by itself once it is back.
/// </summary>
[Collection(nameof(DisruptiveTests))]
[Trait("Category", "Reliability")]
public class ServiceOutageTests(AppHostFixture fixture, ITestOutputHelper output)
{
    /// <summary>What a person waiting on a page may wait, at most, to be told a service is unavailable.</summary>
    private static readonly TimeSpan PageWaitLimit = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task While_the_auth_server_is_down_tokens_still_validate_sign_in_says_unavailable_and_all_recovers()
    {
        var token = await Tokens.ForAliceAsync(fixture, "notes.read", Ct);
        using var signedIn = WebClientBrowser.Open(fixture);
        await signedIn.SignInAsync(fixture, AppHostFixture.WebReplicaUser, fixture.Secrets.TestUserPassword);
        using var api = fixture.CreateApiClient();
        var workerBefore = await WorkerHealth.ReadAsync(fixture, Ct);

        await fixture.RunCommandAsync("authserver", KnownResourceCommands.StopCommand);
        var down = Stopwatch.StartNew();
        // Watched from the stop on, beside the checks below: a worker whose token requests are
        // refused at once may be degraded for only a second or two before it is unhealthy.
        var firstTrouble = WorkerHealth.WaitUntilAsync(fixture, h => h.Status != "Healthy", RecoveryLimit, Ct);
        try
        {
            // The API validates with the signing keys it already has.
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", token, Ct)).Status);

            // A signed-in user's session and pages live in the web client and its database.
            var notes = await PageAsync(signedIn, "/notes");
            Assert.Equal(HttpStatusCode.OK, notes.Status);
            Assert.DoesNotContain("data-testid=\"api-error\"", notes.Html, StringComparison.Ordinal);
            Assert.Contains("Signed in as", (await PageAsync(signedIn, "/")).Html, StringComparison.Ordinal);

            // Signing in needs the auth server: the page says it is unavailable, soon.
            using var newcomer = WebClientBrowser.Open(fixture);
            var login = await PageAsync(newcomer, "/account/login");
            output.WriteLine($"sign-in page with the auth server down: {(int)login.Status} after {login.Took.TotalSeconds:F1} s");
            AssertUnavailablePage(login);

            // The worker cannot renew its token: degraded, then unhealthy.
            var degraded = await firstTrouble;
            Assert.Equal("Degraded", degraded.Status);
            var unhealthy = await WorkerHealth.WaitUntilAsync(fixture, h => h.Status == "Unhealthy", RecoveryLimit, Ct);
            Assert.Equal("Unhealthy", unhealthy.Status);
            output.WriteLine($"worker unhealthy {down.Elapsed.TotalSeconds:F1} s after the stop: {unhealthy.LastOutcome}");
            Assert.True(unhealthy.Successes >= workerBefore.Successes, "the worker's counters went backwards: it restarted");
        }
        finally
        {
            await fixture.RunCommandAsync("authserver", KnownResourceCommands.StartCommand);
        }

        var start = Stopwatch.StartNew();
        await fixture.WaitUntilHealthyAsync("authserver", RecoveryLimit);
        using var returning = WebClientBrowser.Open(fixture);
        await returning.SignInAsync(fixture, AppHostFixture.WebReplicaUser, fixture.Secrets.TestUserPassword);
        var before = await WorkerHealth.ReadAsync(fixture, Ct);
        var recovered = await WorkerHealth.WaitUntilAsync(fixture, h => h.ConsecutiveFailures == 0 && h.Successes > before.Successes, RecoveryLimit, Ct);
        output.WriteLine($"sign-in and worker working again {start.Elapsed.TotalSeconds:F1} s after the start");
        Assert.Equal("Healthy", recovered.Status);
        Assert.Contains("Signed in as", (await PageAsync(returning, "/")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task While_the_api_is_down_the_notes_page_says_so_the_worker_backs_off_and_all_recovers()
    {
        using var browser = WebClientBrowser.Open(fixture);
        await browser.SignInAsync(fixture, AppHostFixture.WebReplicaUser, fixture.Secrets.TestUserPassword);

        await fixture.RunCommandAsync("resourceapi", KnownResourceCommands.StopCommand);
        try
        {
            var notes = await PageAsync(browser, "/notes");
            output.WriteLine($"notes page with the API down: {(int)notes.Status} after {notes.Took.TotalSeconds:F1} s");
            Assert.Equal(HttpStatusCode.OK, notes.Status);
            Assert.Contains("data-testid=\"api-error\"", notes.Html, StringComparison.Ordinal);
            Assert.Contains("The API could not be reached", notes.Html, StringComparison.Ordinal);
            Assert.True(notes.Took < PageWaitLimit, $"The notes page took {notes.Took.TotalSeconds:F1} s to say the API is down.");
            Assert.DoesNotContain("Exception", notes.Html, StringComparison.Ordinal);
            Assert.Contains("Signed in as", (await PageAsync(browser, "/")).Html, StringComparison.Ordinal);

            // The worker's calls fail, and it waits longer after each failure (up to Worker:MaxBackoff).
            var backingOff = await WorkerHealth.WaitUntilAsync(fixture, h => h.ConsecutiveFailures >= 2 && h.Wait >= AppHostFixture.WorkerMaxBackoff, RecoveryLimit, Ct);
            output.WriteLine($"worker: {backingOff.ConsecutiveFailures} failures in a row, waiting {backingOff.Wait?.TotalSeconds:F1} s; {backingOff.LastOutcome}");
            Assert.True(backingOff.Wait >= AppHostFixture.WorkerMaxBackoff, $"The worker did not back off: {backingOff}");
            Assert.NotEqual("Healthy", backingOff.Status);
        }
        finally
        {
            await fixture.RunCommandAsync("resourceapi", KnownResourceCommands.StartCommand);
        }

        var start = Stopwatch.StartNew();
        await fixture.WaitUntilHealthyAsync("resourceapi", RecoveryLimit);
        var recovered = await WorkerHealth.WaitUntilAsync(fixture, h => h.ConsecutiveFailures == 0, RecoveryLimit, Ct);
        output.WriteLine($"worker working again {start.Elapsed.TotalSeconds:F1} s after the start");
        Assert.Equal("Healthy", recovered.Status);
        Assert.True(recovered.Wait < 2 * AppHostFixture.WorkerInterval, $"Still backing off after recovering: {recovered}");
        var notesAgain = await PageAsync(browser, "/notes");
        Assert.Equal(HttpStatusCode.OK, notesAgain.Status);
        Assert.DoesNotContain("data-testid=\"api-error\"", notesAgain.Html, StringComparison.Ordinal);
    }

    private sealed record Page(HttpStatusCode Status, string Html, TimeSpan Took);

    private static async Task<Page> PageAsync(HttpClient browser, string path)
    {
        var watch = Stopwatch.StartNew();
        using var response = await browser.GetAsync(path, Ct);
        return new Page(response.StatusCode, await response.Content.ReadAsStringAsync(Ct), watch.Elapsed);
    }

    private static void AssertUnavailablePage(Page page)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.Status);
        Assert.Contains("data-testid=\"unavailable\"", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", page.Html, StringComparison.Ordinal);
        Assert.True(page.Took < PageWaitLimit, $"The page took {page.Took.TotalSeconds:F1} s to say the service is unavailable.");
    }
}
