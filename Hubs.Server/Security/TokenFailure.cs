namespace Hubs.Server.Security;

/// <summary>
/// Remembers, per request, that a presented token failed validation. The authentication middleware publishes only
/// successful results, and "no token" must stay distinguishable from "a bad token" (anonymous Development access
/// accepts the first, never the second).
/// </summary>
internal static class TokenFailure
{
    private static readonly object Key = new();

    public static void Set(HttpContext context, Exception failure) => context.Items[Key] = failure;

    public static Exception? Get(HttpContext context) => context.Items.TryGetValue(Key, out var failure) ? failure as Exception : null;
}
