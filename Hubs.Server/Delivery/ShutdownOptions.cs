namespace Hubs.Server.Delivery;

/// <summary>Configuration section <c>Shutdown</c>.</summary>
internal sealed class ShutdownOptions
{
    public const string SectionName = "Shutdown";

    /// <summary>
    /// On SIGTERM, how long running generations may go on before connections are closed. New connections
    /// are refused (503) and <c>/health</c> reports <c>draining</c> meanwhile, so a load balancer moves traffic away.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// After generations finished draining, how long their last frames get to leave the transport buffers:
    /// SignalR closes connections at <c>ApplicationStopping</c> without flushing them.
    /// </summary>
    public TimeSpan FlushGrace { get; set; } = TimeSpan.FromSeconds(1);
}
