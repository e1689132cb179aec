namespace OAuthDemo.ResourceApi.Data;

public sealed class Note
{
    public const int MaxTextLength = 2000;

    public Guid Id { get; init; }

    /// <summary>The <c>sub</c> of the user who wrote it: notes are never shared.</summary>
    public required string OwnerSubject { get; init; }

    public required string Text { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
