using Microsoft.Extensions.Options;

namespace Hubs.Server.Security;

/// <summary>
/// Which browser origins may open connections (defence against cross-site WebSocket hijacking). Decision:
/// no <c>Origin</c> header (non-browser client) is allowed; a listed origin is allowed; <c>*</c> in the list allows any;
/// the server's own origin (Origin host and port equal to the Host header) is always allowed; with an empty list
/// Development allows any origin, every other environment only the same origin.
/// </summary>
internal sealed class OriginPolicy
{
    private readonly HashSet<string> _allowed;
    private readonly bool _allowAny;

    public OriginPolicy(IOptions<SecurityOptions> options)
    {
        var configured = options.Value.AllowedOrigins;
        _allowAny = configured.Contains("*") || (configured.Count == 0 && options.Value.IsDevelopment);
        _allowed = new HashSet<string>(configured.Select(Normalize).OfType<string>(), StringComparer.Ordinal);
    }

    public bool AllowsAnyOrigin => _allowAny;

    /// <summary>The request may proceed as far as its origin is concerned.</summary>
    public bool IsAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        return IsAllowedCrossOrigin(origin) || IsSameOrigin(origin, request.Host);
    }

    /// <summary>The origin is allowed by configuration (CORS uses this: same-origin requests need no CORS).</summary>
    public bool IsAllowedCrossOrigin(string origin) => _allowAny || (Normalize(origin) is { } normalized && _allowed.Contains(normalized));

    /// <summary><c>scheme://host[:port]</c> in lower case without a default port, or null when <paramref name="origin"/> is not an http(s) origin.</summary>
    public static string? Normalize(string origin)
    {
        if (!Uri.TryCreate(origin.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return null;
        }

        return uri.IsDefaultPort
            ? $"{uri.Scheme}://{uri.Host}".ToLowerInvariant()
            : $"{uri.Scheme}://{uri.Host}:{uri.Port}".ToLowerInvariant();
    }

    private static bool IsSameOrigin(string origin, HostString host)
    {
        if (!host.HasValue || !Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }

        // A proxy may terminate TLS, so the request's scheme is not compared; the host the browser aimed at is.
        var hostPort = host.Port ?? (uri.Scheme == Uri.UriSchemeHttps ? 443 : 80);
        return string.Equals(uri.Host, host.Host, StringComparison.OrdinalIgnoreCase) && uri.Port == hostPort;
    }
}
