namespace Hubs.Server.Scaleout;

/// <summary>
/// The shared event log or backplane cannot take a message right now (Redis down). Publish endpoints turn it into
/// 503 so the publisher retries: accepting would mean buffering without bound and acknowledging a durability we
/// do not have.
/// </summary>
public sealed class BackplaneUnavailableException : Exception
{
    public BackplaneUnavailableException()
    {
    }

    public BackplaneUnavailableException(string message)
        : base(message)
    {
    }

    public BackplaneUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
