namespace Hubs.Contracts;

/// <summary>
/// Machine-readable codes at the start of every <c>HubException</c> message the server raises
/// (<c>"NOT_FOUND: no subscription 'x'"</c>). The legacy incident protocol sends them as its <c>code</c> field.
/// </summary>
public static class HubErrorCodes
{
    public const string InvalidMessage = "INVALID_MESSAGE";
    public const string Unsupported = "UNSUPPORTED";
    public const string NotFound = "NOT_FOUND";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string RateLimited = "RATE_LIMITED";
    public const string LimitExceeded = "LIMIT_EXCEEDED";
    public const string Busy = "BUSY";

    /// <summary>Formats a hub error message the way the server does.</summary>
    public static string Format(string code, string message) => code + ": " + message;

    // SignalR forwards a HubException as "<preamble> HubException: <message>" (its ErrorMessageHelper).
    private const string HubExceptionMarker = "HubException: ";

    /// <summary>
    /// Splits a hub error into its code and text; the code is null when the error carries none. Accepts the
    /// message as raised (<c>"NOT_FOUND: ..."</c>) or as SignalR forwards it to clients
    /// (<c>"An unexpected error occurred invoking 'X' on the server. HubException: NOT_FOUND: ..."</c>).
    /// </summary>
    public static (string? Code, string Message) Parse(string? error)
    {
        if (string.IsNullOrEmpty(error))
        {
            return (null, string.Empty);
        }

        var marker = error.IndexOf(HubExceptionMarker, StringComparison.Ordinal);
        if (marker >= 0)
        {
            error = error[(marker + HubExceptionMarker.Length)..];
        }

        var colon = error.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0 && IsCode(error.AsSpan(0, colon)))
        {
            return (error[..colon], error[(colon + 2)..]);
        }

        return (null, error);
    }

    private static bool IsCode(ReadOnlySpan<char> candidate)
    {
        foreach (var c in candidate)
        {
            if (c is not ((>= 'A' and <= 'Z') or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
