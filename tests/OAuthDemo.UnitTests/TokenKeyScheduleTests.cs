using OAuthDemo.AuthServer.Configuration;
using OAuthDemo.AuthServer.Keys;

namespace OAuthDemo.UnitTests;

public class TokenKeyScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly KeySettings Settings = new() { RotationInterval = TimeSpan.FromDays(30), PrepublishPeriod = TimeSpan.FromDays(2), RetirementPeriod = TimeSpan.FromDays(1) };
    private static readonly TimeSpan Retention = Settings.RetirementPeriod;

    private static KeyPlan Plan(DateTimeOffset now, params KeyTimeline[] keys) => TokenKeySchedule.Plan(keys, now, Settings, Retention);

    [Fact]
    public void Without_keys_the_first_one_activates_at_once()
    {
        var plan = Plan(T0);

        Assert.Equal(T0, plan.CreateActivatingAt);
        Assert.Empty(plan.Retire);
    }

    [Fact]
    public void Nothing_happens_while_the_rotation_is_not_yet_due()
    {
        Assert.True(Plan(T0.AddDays(27), new KeyTimeline("k1", T0, null)).IsEmpty);
    }

    [Fact]
    public void The_next_key_is_published_the_prepublication_period_before_it_activates()
    {
        var plan = Plan(T0.AddDays(28), new KeyTimeline("k1", T0, null));

        Assert.Equal(T0.AddDays(30), plan.CreateActivatingAt);
        Assert.Equal([("k1", T0.AddDays(30))], plan.Retire); // the current key retires when the next one activates
    }

    [Fact]
    public void After_a_long_outage_the_next_key_still_gets_its_full_prepublication()
    {
        var now = T0.AddDays(45);

        var plan = Plan(now, new KeyTimeline("k1", T0, null));

        Assert.Equal(now.AddDays(2), plan.CreateActivatingAt);
    }

    [Fact]
    public void A_published_key_is_not_followed_by_another_one()
    {
        var plan = Plan(T0.AddDays(29), new KeyTimeline("k1", T0, T0.AddDays(30)), new KeyTimeline("k2", T0.AddDays(30), null));

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void A_retired_key_is_removed_only_after_its_retention()
    {
        KeyTimeline[] keys = [new("k1", T0, T0.AddDays(30)), new("k2", T0.AddDays(30), null)];

        Assert.Empty(Plan(T0.AddDays(30).AddHours(23), keys).Remove);
        Assert.Equal(["k1"], Plan(T0.AddDays(31), keys).Remove);
    }

    [Theory]
    [InlineData(-1, TokenKeyStage.Published)]
    [InlineData(0, TokenKeyStage.Active)]
    [InlineData(30 * 24, TokenKeyStage.Retired)]
    [InlineData(31 * 24, TokenKeyStage.Removed)]
    public void A_key_goes_through_published_active_retired_removed(int hoursAfterActivation, TokenKeyStage stage)
    {
        var key = new KeyTimeline("k", T0, T0.AddDays(30));

        Assert.Equal(stage, TokenKeySchedule.StageOf(key, T0.AddHours(hoursAfterActivation), Retention));
    }

    [Fact]
    public void The_active_key_is_the_newest_whose_activation_has_come()
    {
        KeyTimeline[] keys = [new("k1", T0, T0.AddDays(30)), new("k2", T0.AddDays(30), null)];

        Assert.Equal("k1", TokenKeySchedule.ActiveAt(keys, T0.AddDays(29))!.Id);
        Assert.Equal("k2", TokenKeySchedule.ActiveAt(keys, T0.AddDays(30))!.Id);
    }

    [Fact]
    public void Encryption_keys_are_kept_as_long_as_a_refresh_token_they_encrypted_may_be_redeemed()
    {
        var settings = new AuthServerSettings { RefreshTokenLifetime = TimeSpan.FromDays(14) };

        Assert.Equal(TimeSpan.FromDays(14), TokenKeySchedule.Retention(TokenKeyUses.Encryption, settings));
        Assert.Equal(TimeSpan.FromDays(1), TokenKeySchedule.Retention(TokenKeyUses.Signing, settings));
    }

    [Fact]
    public void Planning_twice_gives_the_same_plan()
    {
        KeyTimeline[] keys = [new("k1", T0, null)];

        Assert.Equal(Plan(T0.AddDays(29), keys).CreateActivatingAt, Plan(T0.AddDays(29), keys).CreateActivatingAt);
    }
}
