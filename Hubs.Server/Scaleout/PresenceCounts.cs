namespace Hubs.Server.Scaleout;

/// <summary>Connected users and their sockets.</summary>
internal readonly record struct PresenceCounts(int Users, int Sockets);
