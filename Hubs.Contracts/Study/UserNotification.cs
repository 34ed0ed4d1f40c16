using System.Text.Json;

namespace Hubs.Contracts.Study;

/// <summary>A message a backend pushed to one user. Wire: <c>{"type","data"}</c>; <c>type</c> is <c>notification</c> unless the publisher named another.</summary>
public sealed record UserNotification(string Type, JsonElement Data)
{
    public const string DefaultType = "notification";
}
