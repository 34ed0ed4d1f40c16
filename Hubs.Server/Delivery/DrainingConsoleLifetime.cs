using System.Runtime.InteropServices;

namespace Hubs.Server.Delivery;

/// <summary>
/// The console lifetime, with a graceful SIGTERM. The default lifetime answers SIGTERM with
/// <c>StopApplication()</c>, which fires <c>ApplicationStopping</c> at once — and on that signal SignalR closes every
/// connection, cutting running generations before <see cref="ShutdownDrain"/> gets a say (an in-process
/// <c>StopAsync</c> does not show this; a real signal does, see ShutdownFaultTests). Here SIGTERM first drains, then stops.
/// SIGINT (Ctrl+C) and SIGQUIT behave the same way.
/// </summary>
internal sealed partial class DrainingConsoleLifetime : IHostLifetime, IDisposable
{
    private readonly ShutdownDrain _drain;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<DrainingConsoleLifetime> _logger;
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _stopping;

    public DrainingConsoleLifetime(ShutdownDrain drain, IHostApplicationLifetime lifetime, ILogger<DrainingConsoleLifetime> logger)
    {
        _drain = drain;
        _lifetime = lifetime;
        _logger = logger;
    }

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the runtime from terminating the process; the host ends it once stopped.
        context.Cancel = true;
        if (Interlocked.Exchange(ref _stopping, 1) == 1)
        {
            return;
        }

        Log.SignalReceived(_logger, context.Signal.ToString());
        _ = Task.Run(async () =>
        {
            try
            {
                await _drain.DrainAsync(CancellationToken.None);
            }
            finally
            {
                _lifetime.StopApplication();
            }
        });
    }

    private static partial class Log
    {
        [LoggerMessage(1004, LogLevel.Information, "{Signal} received: draining, then stopping.")]
        public static partial void SignalReceived(ILogger logger, string signal);
    }
}
