namespace Hubs.Server.Schema;

/// <summary>
/// A static class of wire constants (<c>HubRoutes</c>, <c>IncidentEventTypes</c>...): its string constants and its
/// static string lists, both in declaration order.
/// </summary>
internal sealed record ContractConstants(
    string Name,
    string Module,
    string? Doc,
    IReadOnlyList<KeyValuePair<string, string>> Values,
    IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Lists);
