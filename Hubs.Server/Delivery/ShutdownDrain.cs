using Hubs.Server.Generation;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Delivery;

/// <summary>
/// Graceful shutdown, first step. Runs in <see cref="IHostedLifecycleService.StoppingAsync"/>, which the host
/// calls before <c>ApplicationStopping</c> — the signal on which SignalR closes every connection and the legacy
/// bridges send their goodbyes — so running generations get up to <see cref="ShutdownOptions.DrainTimeout"/>
/// to finish while no new connection is accepted.
/// </summary>
internal sealed partial class ShutdownDrain : IHostedLifecycleService
{
    private readonly GenerationTracker _generations;
    private readonly ShutdownOptions _options;
    private readonly ILogger<ShutdownDrain> _logger;
    private volatile bool _draining;

    public ShutdownDrain(GenerationTracker generations, IOptions<ShutdownOptions> options, ILogger<ShutdownDrain> logger)
    {
        _generations = generations;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>True from the start of a graceful shutdown: refuse new connections, report not ready.</summary>
    public bool IsDraining => _draining;

    public Task StoppingAsync(CancellationToken cancellationToken) => DrainAsync(cancellationToken);

    /// <summary>
    /// Stops accepting connections and waits for running generations, up to the drain timeout. Called by
    /// <see cref="DrainingConsoleLifetime"/> on SIGTERM before the host stops, and again (finding nothing to wait
    /// for) by the host's stopping phase.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var running = _generations.Running;
        if (running == 0)
        {
            return;
        }

        Log.Draining(_logger, running, _options.DrainTimeout);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.DrainTimeout);
        try
        {
            await _generations.WhenIdleAsync(timeout.Token);
            Log.Drained(_logger);
            await Task.Delay(_options.FlushGrace, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Log.DrainTimedOut(_logger, _generations.Running);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Information, "Shutting down: waiting up to {DrainTimeout} for {Running} running generations.")]
        public static partial void Draining(ILogger logger, int running, TimeSpan drainTimeout);

        [LoggerMessage(1002, LogLevel.Information, "Shutting down: every generation finished.")]
        public static partial void Drained(ILogger logger);

        [LoggerMessage(1003, LogLevel.Warning, "Shutting down: drain time over with {Running} generations still running; they are cancelled.")]
        public static partial void DrainTimedOut(ILogger logger, int running);
    }
}
