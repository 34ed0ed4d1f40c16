using System.Collections.Concurrent;
using Hubs.Contracts;
using Hubs.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hubs.Tests.Observability;

/// <summary>Log lines written while a hub handles a connection carry the connection's id, hub and user as scope.</summary>
public sealed class ConnectionLogScopeTests
{
    [Fact]
    public async Task HubConnection_Logs_CarryHubConnectionIdScope()
    {
        var provider = new CapturingLoggerProvider();
        string[] args = ["--urls", "http://127.0.0.1:0", "--environment", "Development", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Hubs.Server.Observability=Debug"];
        await using var app = HubsApplication.Build(args, b => b.Logging.AddProvider(provider));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await using (var client = await RawHubConnection.ConnectAsync(new Uri(address.Replace("http", "ws", StringComparison.Ordinal) + HubRoutes.Projects), cts.Token))
        {
            await client.InvokeAsync("Subscribe", ["p1", null], cts.Token);
        }

        var closed = await provider.WaitForAsync(802 + 1, cts.Token);
        var opened = provider.Records.First(r => r.EventId == 802);
        opened.Scope.Should().ContainKey("HubConnectionId").WhoseValue.Should().NotBeNullOrEmpty();
        opened.Scope["Hub"].Should().Be("projects");
        closed.Scope["HubConnectionId"].Should().Be(opened.Scope["HubConnectionId"]);
        await app.StopAsync();
    }

    private sealed record Captured(int EventId, Dictionary<string, string?> Scope);

    private sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<Captured> Records { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        public async Task<Captured> WaitForAsync(int eventId, CancellationToken cancellationToken)
        {
            while (true)
            {
                var found = Records.FirstOrDefault(r => r.EventId == eventId);
                if (found is not null)
                {
                    return found;
                }

                await Task.Delay(20, cancellationToken);
            }
        }

        private sealed class Logger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scope = new Dictionary<string, string?>();
                owner._scopes.ForEachScope(
                    (value, target) =>
                    {
                        if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
                        {
                            foreach (var pair in pairs)
                            {
                                target[pair.Key] = pair.Value?.ToString();
                            }
                        }
                    },
                    scope);
                owner.Records.Enqueue(new Captured(eventId.Id, scope));
            }
        }
    }
}
