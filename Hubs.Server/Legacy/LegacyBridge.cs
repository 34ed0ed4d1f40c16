using System.Collections.Concurrent;
using System.Net.WebSockets;
using Hubs.Server.Observability;
using Hubs.Server.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Legacy;

/// <summary>
/// Accepts legacy WebSockets and runs each as a hub connection (<see cref="LegacySession"/>). Owns what is the same for
/// every legacy endpoint: the upgrade checks (WebSocket request, token, the per-user path rule with 1008), the set of
/// open sessions and their goodbyes when the application stops.
/// </summary>
internal sealed class LegacyBridge : IDisposable
{
    private readonly IServiceProvider _services;
    private readonly IConnectionAuthorizer _authorizer;
    private readonly LegacyOptions _options;
    private readonly SecurityOptions _security;
    private readonly int _maxMessageBytes;
    private readonly HubsMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<LegacyBridge> _logger;
    private readonly ConcurrentDictionary<LegacySession, byte> _sessions = new();
    private readonly ConcurrentDictionary<Type, ConnectionHandler> _handlers = new();
    private readonly CancellationToken _stopping;
    private readonly CancellationTokenRegistration _stoppingRegistration;

    public LegacyBridge(
        IServiceProvider services,
        IConnectionAuthorizer authorizer,
        IOptions<LegacyOptions> options,
        IOptions<SecurityOptions> security,
        IOptions<LimitsOptions> limits,
        IHostApplicationLifetime lifetime,
        HubsMetrics metrics,
        TimeProvider time,
        ILogger<LegacyBridge> logger)
    {
        _services = services;
        _authorizer = authorizer;
        _options = options.Value;
        _security = security.Value;
        _maxMessageBytes = limits.Value.MaxMessageBytes;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _stopping = lifetime.ApplicationStopping;
        _stoppingRegistration = _stopping.Register(SayGoodbye);
    }

    /// <summary>Open legacy sockets on this instance.</summary>
    public int Count => _sessions.Count;

    /// <summary>
    /// Serves one legacy WebSocket request with <typeparamref name="THub"/> and <paramref name="protocol"/>.
    /// <paramref name="requiredUserId"/> (a per-user path) makes a missing or foreign token a close with 1008 after the upgrade.
    /// </summary>
    public async Task RunAsync<THub>(HttpContext context, LegacyHubProtocol protocol, string? requiredUserId = null)
        where THub : Hub
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("This endpoint accepts WebSocket connections only.", context.RequestAborted);
            return;
        }

        var verdict = _authorizer.Authorize(context, requiredUserId);
        if (verdict.Allowed && requiredUserId is not null && verdict.UserId is null && (_options.RequireUserChannelToken || !_security.AllowAnonymous))
        {
            _metrics.AuthFailure(AuthFailureReasons.MissingToken);
            verdict = ConnectionAuthorization.Deny(AuthFailureReasons.MissingToken, "Token required");
        }

        if (!verdict.Allowed)
        {
            if (requiredUserId is null)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return;
            }

            // Seed 001 clients learn about a bad token from the close status, so the upgrade succeeds first.
            using var refused = await context.WebSockets.AcceptWebSocketAsync();
            LegacyLog.UserPathRefused(_logger, context.Request.Path, verdict.Message!);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.CloseTimeoutSeconds));
            try
            {
                await refused.CloseAsync(WebSocketCloseStatus.PolicyViolation, verdict.Message, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                refused.Abort();
            }

            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var handler = _handlers.GetOrAdd(typeof(THub), _ => ActivatorUtilities.GetServiceOrCreateInstance<HubConnectionHandler<THub>>(_services));
        using var session = new LegacySession(context, socket, protocol, handler, _options, _maxMessageBytes, verdict.ExpiresUtc, _metrics, _time, _logger);
        _sessions.TryAdd(session, 0);
        try
        {
            // A socket accepted while the application began to stop is told at once.
            if (_stopping.IsCancellationRequested)
            {
                session.Stop(LegacyCloseReason.ServerShutdown);
            }

            await session.RunAsync();
        }
        finally
        {
            _sessions.TryRemove(session, out _);
        }
    }

    public void Dispose() => _stoppingRegistration.Dispose();

    private void SayGoodbye()
    {
        var sessions = _sessions.Keys.ToArray();
        if (sessions.Length > 0)
        {
            LegacyLog.ShuttingDown(_logger, sessions.Length);
        }

        foreach (var session in sessions)
        {
            session.Stop(LegacyCloseReason.ServerShutdown);
        }
    }
}
