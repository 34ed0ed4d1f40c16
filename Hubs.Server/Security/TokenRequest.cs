namespace Hubs.Server.Security;

/// <summary>What a minted token says about its user.</summary>
internal sealed record TokenRequest(string UserId)
{
    public IReadOnlyList<string> Projects { get; init; } = [];

    public IReadOnlyList<string> Roles { get; init; } = [];

    public IReadOnlyList<string> Scopes { get; init; } = [];

    public string? Name { get; init; }

    public TimeSpan Lifetime { get; init; } = TimeSpan.FromHours(1);
}
