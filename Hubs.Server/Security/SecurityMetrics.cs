using System.Diagnostics.Metrics;

namespace Hubs.Server.Security;

/// <summary>
/// The rejection counters of seed 003, on the <c>Hubs</c> meter (Observability exports that meter). Legacy endpoints
/// count their own rejections here too, with the same tag values (<see cref="AuthFailureReasons"/>, <see cref="MessageErrorTypes"/>).
/// </summary>
internal sealed class SecurityMetrics
{
    public const string MeterName = "Hubs";
    public const string AuthFailuresName = "websocket_auth_failures_total";
    public const string MessageErrorsName = "websocket_message_errors_total";

    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _messageErrors;

    public SecurityMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _authFailures = meter.CreateCounter<long>(AuthFailuresName, unit: "{failure}",
            description: "WebSocket/hub connections refused: token missing, invalid or expired, origin not allowed, too many connections, wrong user.");
        _messageErrors = meter.CreateCounter<long>(MessageErrorsName, unit: "{error}",
            description: "Client messages rejected: rate limited, unauthorized, subscription limit, too large, malformed.");
    }

    /// <param name="reason">One of <see cref="AuthFailureReasons"/>.</param>
    public void AuthFailure(string reason) => _authFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <param name="errorType">One of <see cref="MessageErrorTypes"/>.</param>
    public void MessageError(string errorType) => _messageErrors.Add(1, new KeyValuePair<string, object?>("error_type", errorType));
}
