using System.Text.Json;

namespace Hubs.Contracts.Projects;

/// <summary>
/// An update pushed to a project's subscribers. Wire: <c>{"type","project_id","data","message_id","timestamp"}</c>;
/// <c>type</c> is the publisher's, <c>project_updated</c> by default; <c>message_id</c> is the position in the
/// project's retained history (increasing per project) and is what <c>since</c> takes.
/// </summary>
public sealed record ProjectUpdate(
    string Type,
    string ProjectId,
    JsonElement Data,
    string MessageId,
    DateTimeOffset Timestamp)
{
    public const string DefaultType = "project_updated";
}
