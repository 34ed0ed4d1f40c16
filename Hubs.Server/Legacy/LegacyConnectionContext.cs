using System.IO.Pipelines;
using System.Security.Claims;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Hubs.Server.Legacy;

/// <summary>
/// The connection a legacy bridge hands to <c>HubConnectionHandler&lt;THub&gt;</c>: the bridge's in-memory pipes as
/// transport, and the features the hub side reads (the HttpContext for route values and the endpoint, the user, the
/// text transfer format). It deliberately has no heartbeat feature: SignalR then neither sends keep-alive pings nor
/// applies its client timeout, so a legacy client that stays silent during a long stream keeps its socket; the
/// legacy idle rules are the bridge's own.
/// </summary>
internal sealed class LegacyConnectionContext : ConnectionContext,
    IConnectionIdFeature, IConnectionItemsFeature, IConnectionTransportFeature, IConnectionUserFeature,
    IConnectionLifetimeFeature, ITransferFormatFeature, IConnectionInherentKeepAliveFeature, IHttpContextFeature
{
    private readonly CancellationTokenSource _closed = new();
    private readonly Action _onAbort;

    public LegacyConnectionContext(string connectionId, HttpContext httpContext, IDuplexPipe transport, LegacyConnectionFeature legacy, Action onAbort)
    {
        ConnectionId = connectionId;
        HttpContext = httpContext;
        User = httpContext.User;
        Transport = transport;
        ConnectionClosed = _closed.Token;
        _onAbort = onAbort;

        var features = new FeatureCollection();
        features.Set<IConnectionIdFeature>(this);
        features.Set<IConnectionItemsFeature>(this);
        features.Set<IConnectionTransportFeature>(this);
        features.Set<IConnectionUserFeature>(this);
        features.Set<IConnectionLifetimeFeature>(this);
        features.Set<ITransferFormatFeature>(this);
        features.Set<IConnectionInherentKeepAliveFeature>(this);
        features.Set<IHttpContextFeature>(this);
        features.Set(legacy);
        Features = features;
    }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; }

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    public override CancellationToken ConnectionClosed { get; set; }

    public ClaimsPrincipal? User { get; set; }

    public HttpContext? HttpContext { get; set; }

    public TransferFormat SupportedFormats { get; } = TransferFormat.Text;

    public TransferFormat ActiveFormat { get; set; } = TransferFormat.Text;

    // SignalR skips its keep-alive for transports that keep themselves alive; the bridge owns liveness.
    public bool HasInherentKeepAlive => true;

    public override void Abort(ConnectionAbortedException abortReason) => _onAbort();

    /// <summary>Signals <see cref="ConnectionClosed"/> once the bridge has finished with the socket.</summary>
    public void MarkClosed()
    {
        try
        {
            _closed.Cancel();
        }
        catch (AggregateException)
        {
            // A ConnectionClosed callback failed; the connection is gone either way.
        }
    }

    public override async ValueTask DisposeAsync()
    {
        _closed.Dispose();
        await base.DisposeAsync();
    }
}
