using System.Collections.Concurrent;
using System.Diagnostics;
using Hubs.Contracts;
using Hubs.Contracts.Incidents;
using Hubs.Contracts.Projects;
using Microsoft.AspNetCore.SignalR;

namespace Hubs.Server.Observability;

/// <summary>
/// Measures every hub connection and invocation without the hubs knowing: connections opened, closed,
/// failed and their duration; messages received by method; errors by hub error code; subscriptions, from
/// successful <c>Subscribe</c>/<c>Unsubscribe</c> calls of the projects and incidents hubs and released
/// when the connection closes. Legacy endpoints run through the same hubs, so they are measured too.
/// Registered first, so it is the outermost filter and sees rejections by the filters after it.
/// </summary>
internal sealed class MetricsHubFilter(HubsMetrics metrics, ConnectionTracker tracker, ILogger<MetricsHubFilter> logger) : IHubFilter
{
    private const string UnknownEndpoint = "unknown";

    private static readonly ConcurrentDictionary<Type, string> HubNames = new();

    // The open connections' observations by connection id, not in each connection's Items: that dictionary is
    // created on first use, and an idle connection should not pay a ConcurrentDictionary of its own for one entry.
    private readonly ConcurrentDictionary<string, ConnectionObservation> _observations = new(StringComparer.Ordinal);

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var caller = context.Context;
        var hub = HubName(context.Hub.GetType());
        var endpoint = EndpointOf(caller);
        var scope = new ConnectionLogScope(caller.ConnectionId, hub, caller.UserIdentifier);
        using (logger.BeginScope(scope))
        {
            try
            {
                await next(context);
            }
            catch (Exception ex)
            {
                metrics.ConnectionFailed(hub, endpoint);
                ObservabilityLog.ConnectionFailed(logger, ex);
                throw;
            }

            _observations[caller.ConnectionId] = new ConnectionObservation(hub, endpoint, Stopwatch.GetTimestamp(), scope);
            metrics.ConnectionOpened(hub, endpoint);
            tracker.Opened();
            ObservabilityLog.ConnectionOpened(logger);
        }
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        var caller = context.Context;
        _observations.TryGetValue(caller.ConnectionId, out var observation);
        using (observation is null ? null : logger.BeginScope(observation.LogScope))
        {
            try
            {
                await next(context, exception);
            }
            finally
            {
                // Only connections counted as opened are counted as closed (a refused connect never opened).
                if (observation is not null && _observations.TryRemove(caller.ConnectionId, out _))
                {
                    foreach (var projectId in observation.ReleaseSubscriptions())
                    {
                        metrics.SubscriptionRemoved(projectId);
                    }

                    var duration = Stopwatch.GetElapsedTime(observation.StartTimestamp);
                    metrics.ConnectionSubscriptions(observation.PeakSubscriptions);
                    metrics.ConnectionClosed(observation.Hub, observation.Endpoint, duration);
                    tracker.Closed();
                    ObservabilityLog.ConnectionClosed(logger, duration.TotalSeconds, exception);
                }
            }
        }
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        metrics.MessageReceived(invocationContext.HubMethodName);
        _observations.TryGetValue(invocationContext.Context.ConnectionId, out var observation);
        using (observation is null ? null : logger.BeginScope(observation.LogScope))
        {
            object? result;
            try
            {
                result = await next(invocationContext);
            }
            catch (HubException ex)
            {
                metrics.MessageError(ErrorType(ex));
                throw;
            }
            catch (OperationCanceledException)
            {
                // The caller went away or cancelled its stream: not an error of the message.
                throw;
            }
            catch (Exception)
            {
                metrics.MessageError("server_error");
                throw;
            }

            if (observation is not null)
            {
                TrackSubscription(invocationContext, observation);
            }

            return result;
        }
    }

    /// <summary>The hub type's name without the <c>Hub</c> suffix, lower case: <c>ProjectsHub</c> → <c>projects</c>.</summary>
    internal static string HubName(Type hubType) => HubNames.GetOrAdd(hubType, static type =>
    {
        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick > 0)
        {
            name = name[..tick];
        }

        if (name.Length > 3 && name.EndsWith("Hub", StringComparison.Ordinal))
        {
            name = name[..^3];
        }

        return name.ToLowerInvariant();
    });

    /// <summary>
    /// The route pattern the connection came in on (<c>/hubs/projects</c>, a legacy path): bounded by the
    /// routes, unlike the request path, which may carry ids.
    /// </summary>
    private static string EndpointOf(HubCallerContext caller) =>
        caller.GetHttpContext()?.GetEndpoint() is RouteEndpoint route && route.RoutePattern.RawText is { } pattern
            ? pattern
            : UnknownEndpoint;

    /// <summary><c>"NOT_FOUND: no subscription 'x'"</c> → <c>not_found</c>; a hub error without a code is a validation error.</summary>
    private static string ErrorType(HubException exception) =>
        HubErrorCodes.Parse(exception.Message).Code switch
        {
            HubErrorCodes.InvalidMessage => "invalid_message",
            HubErrorCodes.Unsupported => "unsupported",
            HubErrorCodes.NotFound => "not_found",
            HubErrorCodes.Unauthorized => "unauthorized",
            HubErrorCodes.RateLimited => "rate_limited",
            HubErrorCodes.LimitExceeded => "limit_exceeded",
            HubErrorCodes.Busy => "busy",
            null => "validation_error",
            _ => "other",
        };

    private void TrackSubscription(HubInvocationContext invocation, ConnectionObservation observation)
    {
        var isProjects = invocation.Hub is IProjectsHub;
        if (!isProjects && invocation.Hub is not IIncidentsHub)
        {
            return;
        }

        if (invocation.HubMethodArguments.Count == 0 || invocation.HubMethodArguments[0] is not string key)
        {
            return;
        }

        switch (invocation.HubMethodName)
        {
            case nameof(IProjectsHub.Subscribe):
                var projectId = isProjects ? key : null;
                if (observation.AddSubscription(key, projectId))
                {
                    metrics.SubscriptionAdded(projectId);
                }

                break;
            case nameof(IProjectsHub.Unsubscribe):
                if (observation.RemoveSubscription(key, out var removedProject))
                {
                    metrics.SubscriptionRemoved(removedProject);
                }

                break;
        }
    }
}
