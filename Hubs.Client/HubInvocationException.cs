using Hubs.Contracts;

namespace Hubs.Client;

/// <summary>
/// The server answered an invocation or a stream with an error. Hubs servers raise <c>HubException</c>s whose
/// message starts with a machine-readable code (<c>"NOT_FOUND: no subscription 'x'"</c>, see
/// <see cref="HubErrorCodes"/>); SignalR sends that message behind its own preamble (<c>"An unexpected error
/// occurred invoking 'Unsubscribe' on the server. HubException: NOT_FOUND: ..."</c>). <see cref="HubErrorCodes.Parse"/>
/// drops the preamble and splits the rest into <see cref="Code"/> and <see cref="Exception.Message"/>. The connection
/// itself is still usable.
/// </summary>
public sealed class HubInvocationException : Exception
{
    /// <summary>Creates the exception from the error text of a completion message.</summary>
    public HubInvocationException(string? error)
        : this(HubErrorCodes.Parse(error), error)
    {
    }

    private HubInvocationException((string? Code, string Message) parsed, string? error)
        : base(parsed.Message)
    {
        Code = parsed.Code;
        Error = error ?? string.Empty;
    }

    /// <summary>The error code (one of <see cref="HubErrorCodes"/>), or null when the server sent none.</summary>
    public string? Code { get; }

    /// <summary>The error exactly as the server sent it, preamble and code included.</summary>
    public string Error { get; }
}
