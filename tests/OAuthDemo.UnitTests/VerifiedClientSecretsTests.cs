using OAuthDemo.AuthServer.Authorization;

namespace OAuthDemo.UnitTests;

public class VerifiedClientSecretsTests
{
    private const string StoredHash = "AQAAAAEAACcQAAAAEExampleStoredHashOfTheSecret==";

    [Fact]
    public void A_remembered_secret_is_recognised_for_the_same_stored_hash()
    {
        var secrets = new VerifiedClientSecrets();
        secrets.Remember(StoredHash, "right-secret");

        Assert.True(secrets.IsVerified(StoredHash, "right-secret"));
    }

    [Fact]
    public void A_wrong_secret_is_not_recognised_even_when_the_right_one_was()
    {
        var secrets = new VerifiedClientSecrets();
        secrets.Remember(StoredHash, "right-secret");

        Assert.False(secrets.IsVerified(StoredHash, "wrong-secret"));
        Assert.False(secrets.IsVerified(StoredHash, "right-secret "));
    }

    [Fact]
    public void A_changed_secret_has_a_new_stored_hash_and_is_not_recognised_until_verified()
    {
        var secrets = new VerifiedClientSecrets();
        secrets.Remember(StoredHash, "old-secret");

        Assert.False(secrets.IsVerified("AQAAAAEAACcQAAAAEAnotherSaltAndHash==", "old-secret"));
    }

    [Fact]
    public void Nothing_is_recognised_before_a_successful_check()
    {
        Assert.False(new VerifiedClientSecrets().IsVerified(StoredHash, "any-secret"));
    }
}
