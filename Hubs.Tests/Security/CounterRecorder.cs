using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Hubs.Server.Observability;

namespace Hubs.Tests.Security;

/// <summary>Records the security counters of one app (its own IMeterFactory scope, so parallel test servers do not mix).</summary>
internal sealed class CounterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, string Tag, long Value)> _measurements = new();

    public CounterRecorder(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HubsMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var tag = string.Empty;
            foreach (var pair in tags)
            {
                tag = pair.Key + "=" + pair.Value;
            }

            _measurements.Enqueue((instrument.Name, tag, value));
        });
        _listener.Start();
    }

    public long Count(string instrument, string tag) =>
        _measurements.Where(m => m.Instrument == instrument && m.Tag == tag).Sum(m => m.Value);

    public long AuthFailures(string reason) => Count("websocket_auth_failures_total", "reason=" + reason);

    public long MessageErrors(string errorType) => Count("websocket_message_errors_total", "error_type=" + errorType);

    public void Dispose() => _listener.Dispose();
}
