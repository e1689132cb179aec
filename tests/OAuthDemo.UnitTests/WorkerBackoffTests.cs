using OAuthDemo.Worker.Stats;

namespace OAuthDemo.UnitTests;

/// <summary>The worker's wait between calls: the interval while they succeed, doubling while they fail, up to a ceiling.</summary>
public class WorkerBackoffTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 20)]
    [InlineData(2, 40)]
    [InlineData(3, 60)]
    [InlineData(50, 60)]
    [InlineData(int.MaxValue, 60)]
    public void Failures_double_the_wait_up_to_the_ceiling(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), StatsPoller.NextWait(failures, Interval, MaxBackoff));

    [Fact]
    public void A_ceiling_below_the_interval_never_shortens_it() =>
        Assert.Equal(Interval, StatsPoller.NextWait(3, Interval, TimeSpan.FromSeconds(1)));
}
