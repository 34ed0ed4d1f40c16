namespace Hubs.Server.Security;

/// <summary>
/// Marks a hub method that <see cref="RateLimitHubFilter"/> does not count: bookkeeping a client sends in proportion
/// to what the server sends it (an <c>Ack</c> per incident event), which would otherwise use up the allowance meant for
/// the client's own messages. Such a method must be cheap; one call at a time per connection still applies.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
internal sealed class RateLimitExemptAttribute : Attribute;
