using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Hubs.Tests.Infrastructure;

/// <summary>An in-memory logger provider: what a server or client logged, by event id, with the exception if any.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<(EventId Id, LogLevel Level, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((eventId, logLevel, exception is null ? formatter(state, exception) : $"{formatter(state, exception)} ({exception.GetType().Name}: {exception.Message})"));
    }
}
