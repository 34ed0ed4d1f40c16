using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace Hubs.Client;

/// <summary>
/// Settings of a <see cref="HubConnection"/>. They are copied when the connection is created; later changes
/// to this instance have no effect on it.
/// </summary>
public sealed class HubConnectionOptions
{
    /// <summary>
    /// The hub URL, for example <c>http://127.0.0.1:5000/hubs/projects</c>. <c>http</c>/<c>https</c> are
    /// turned into <c>ws</c>/<c>wss</c>; the client connects straight to it as a WebSocket (no negotiate request).
    /// </summary>
    public Uri? Url { get; set; }

    /// <summary>
    /// Picks the URL of each connect attempt, so a reconnect can go to another instance. The argument counts the
    /// attempts of this connection (0 is the first <see cref="HubConnection.StartAsync"/>; every start and reconnect
    /// attempt, failed or not, increments it). Null: always <see cref="Url"/>, which stays required as the
    /// connection's nominal URL. <see cref="HubsClient"/> sets this when given several server URLs.
    /// </summary>
    public Func<long, Uri>? UrlProvider { get; set; }

    /// <summary>
    /// Supplies the bearer token, called before every connect and reconnect attempt. A non-empty token is sent
    /// both as the <c>access_token</c> query parameter and as an <c>Authorization: Bearer</c> header.
    /// </summary>
    public Func<CancellationToken, ValueTask<string?>>? AccessTokenProvider { get; set; }

    /// <summary>Extra HTTP headers sent with the WebSocket upgrade request.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long the client may stay silent before it sends a ping. Default 15 s; keep it below the server's client timeout (30 s by default).</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long the server may stay silent before the connection is considered lost (and reconnected). Default 30 s;
    /// keep it above the server's keep-alive interval (15 s by default).
    /// </summary>
    public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long connecting plus the protocol handshake may take. Default 15 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// When to reconnect after the connection is lost; <see cref="DefaultRetryPolicy"/> (0, 2, 10, 30 s) by default.
    /// Null turns automatic reconnect off: a lost connection then closes.
    /// </summary>
    public IRetryPolicy? RetryPolicy { get; set; } = new DefaultRetryPolicy();

    /// <summary>Where the connection logs (event ids 900-999); nothing is logged when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Adjusts each <see cref="ClientWebSocket"/> before it connects (proxy, client certificates, certificate
    /// validation). Runs after the headers above are set.
    /// </summary>
    public Action<ClientWebSocketOptions>? ConfigureWebSocket { get; set; }

    /// <summary>
    /// Opens the WebSocket through this invoker instead of a connection of its own, for example a
    /// <see cref="System.Net.Http.SocketsHttpHandler"/> whose <c>ConnectCallback</c> binds a source address (load
    /// generators spread connections over 127.0.0.0/8 so ephemeral ports do not run out) or sets socket options.
    /// The connection does not dispose it; one invoker can serve many connections. With an invoker, proxy,
    /// credentials, cookies and certificate settings belong on the handler, not in <see cref="ConfigureWebSocket"/>.
    /// </summary>
    public HttpMessageInvoker? HttpMessageInvoker { get; set; }

    /// <summary>Returns an independent copy, so a connection is not affected by later changes.</summary>
    internal HubConnectionOptions Clone()
    {
        var clone = new HubConnectionOptions
        {
            Url = Url,
            UrlProvider = UrlProvider,
            AccessTokenProvider = AccessTokenProvider,
            KeepAliveInterval = KeepAliveInterval,
            ServerTimeout = ServerTimeout,
            HandshakeTimeout = HandshakeTimeout,
            RetryPolicy = RetryPolicy,
            LoggerFactory = LoggerFactory,
            ConfigureWebSocket = ConfigureWebSocket,
            HttpMessageInvoker = HttpMessageInvoker,
        };
        foreach (var header in Headers)
        {
            clone.Headers[header.Key] = header.Value;
        }

        return clone;
    }

    /// <summary>Fails fast with a message naming the bad setting.</summary>
    internal void Validate()
    {
        if (Url is null || !Url.IsAbsoluteUri || Url.Scheme is not ("http" or "https" or "ws" or "wss"))
        {
            throw new ArgumentException(
                $"{nameof(HubConnectionOptions)}.{nameof(Url)} must be an absolute http, https, ws or wss URL (was '{Url}').");
        }

        RequirePositive(KeepAliveInterval, nameof(KeepAliveInterval));
        RequirePositive(ServerTimeout, nameof(ServerTimeout));
        RequirePositive(HandshakeTimeout, nameof(HandshakeTimeout));
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(HubConnectionOptions)}.{name} must be positive (was {value}).");
        }
    }
}
