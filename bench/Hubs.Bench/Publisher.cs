using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Hubs.Bench;

/// <summary>
/// Publishes project updates over HTTP at a fixed rate, round-robin over the groups, each carrying its send time
/// (the monotonic clock, shared by every process on the machine) and padded to the payload size.
/// </summary>
internal sealed class Publisher : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;
    private readonly int _groups;
    private readonly int _payloadBytes;
    private readonly SemaphoreSlim _inFlight;
    private long _sequence;

    public Publisher(Uri baseUrl, int groups, int payloadBytes, int maxInFlight = 256)
    {
        _http = new HttpClient(SourceAddresses.Handler(SourceAddresses.ForWorker(7)), disposeHandler: true) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        _groups = groups;
        _payloadBytes = payloadBytes;
        _inFlight = new SemaphoreSlim(maxInFlight);
    }

    /// <summary>Publishes at <paramref name="rate"/> per second for <paramref name="duration"/>; returns once every request has been answered.</summary>
    public async Task<PublishOutcome> RunAsync(double rate, TimeSpan duration, bool warmUp)
    {
        var perGroup = new long[_groups];
        long failed = 0;
        var pending = new List<Task>();
        var started = Stopwatch.GetTimestamp();
        long sent = 0;
        while (true)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed >= duration)
            {
                break;
            }

            var due = (long)(elapsed.TotalSeconds * rate);
            while (sent < due)
            {
                await _inFlight.WaitAsync();
                var group = (int)(sent % _groups);
                sent++;
                pending.Add(PublishOneAsync(group, warmUp, perGroup, () => Interlocked.Increment(ref failed)));
            }

            if (pending.Count > 4096)
            {
                pending.RemoveAll(t => t.IsCompleted);
            }

            await Task.Delay(1);
        }

        var sendSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await Task.WhenAll(pending);
        return new PublishOutcome(sent, perGroup, Interlocked.Read(ref failed), sent / sendSeconds);
    }

    public void Dispose()
    {
        _http.Dispose();
        _inFlight.Dispose();
    }

    private async Task PublishOneAsync(int group, bool warmUp, long[] perGroup, Action fail)
    {
        try
        {
            var seq = Interlocked.Increment(ref _sequence);
            var head = string.Create(CultureInfo.InvariantCulture, $"{{\"seq\":{seq},\"w\":{(warmUp ? 1 : 0)},\"t\":{Stopwatch.GetTimestamp()},\"pad\":\"");
            var pad = Math.Max(0, _payloadBytes - head.Length - 2);
            var body = $"{{\"type\":\"bench\",\"data\":{head}{new string('x', pad)}\"}}}}";
            using var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = Json;
            using var response = await _http.PostAsync($"/api/projects/bench-{group}/updates", content);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref perGroup[group]);
            }
            else
            {
                fail();
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            fail();
        }
        finally
        {
            _inFlight.Release();
        }
    }
}
