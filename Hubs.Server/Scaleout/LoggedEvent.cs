namespace Hubs.Server.Scaleout;

/// <summary>One entry of an <see cref="IEventLog"/> stream.</summary>
internal readonly record struct LoggedEvent(string Stream, string Id, ReadOnlyMemory<byte> Payload);
