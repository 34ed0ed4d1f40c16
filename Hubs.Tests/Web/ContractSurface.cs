using System.Reflection;
using Hubs.Contracts;

namespace Hubs.Tests.Web;

/// <summary>
/// The hubs as the tests see them, read straight from Hubs.Contracts (not through the generators' catalog), so the
/// generated artifacts are checked against the contracts and not against themselves.
/// </summary>
internal static class ContractSurface
{
    public sealed record Hub(string Name, string Route, Type Server, Type Client, IReadOnlyList<MethodInfo> ServerMethods, IReadOnlyList<MethodInfo> Callbacks);

    public static IReadOnlyList<Hub> Hubs()
    {
        var exported = typeof(HubRoutes).Assembly.GetExportedTypes();
        var hubs = new List<Hub>();
        foreach (var server in exported.Where(t => t.IsInterface && t.Name.StartsWith('I') && t.Name.EndsWith("Hub", StringComparison.Ordinal)))
        {
            var name = server.Name[1..^3];
            var client = exported.Single(t => t.IsInterface && t.Name == "I" + name + "Client");
            var route = (string)typeof(HubRoutes).GetField(name)!.GetRawConstantValue()!;
            hubs.Add(new Hub(name, route, server, client, server.GetMethods(), client.GetMethods()));
        }

        hubs.Should().HaveCount(4, "the service has four hubs");
        return hubs;
    }

    public static IEnumerable<ParameterInfo> WireParameters(MethodInfo method) =>
        method.GetParameters().Where(p => p.ParameterType != typeof(CancellationToken));

    public static bool IsStream(MethodInfo method) =>
        method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>);

    /// <summary>The wire payload type of a method's result: T of Task&lt;T&gt; or IAsyncEnumerable&lt;T&gt;; null for Task.</summary>
    public static Type? ResultType(MethodInfo method) => method.ReturnType.IsGenericType ? method.ReturnType.GetGenericArguments()[0] : null;
}
