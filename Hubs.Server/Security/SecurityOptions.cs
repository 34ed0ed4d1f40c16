namespace Hubs.Server.Security;

/// <summary>
/// Who may connect without a token and from which browser origins, from the <c>Security</c> section and <c>CORS_ORIGINS</c>
/// (see <see cref="ConfigureSecurityOptions"/>).
/// </summary>
internal sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>The seed 000 environment variable: comma-separated origins.</summary>
    public const string CorsOriginsKey = "CORS_ORIGINS";

    public const string AllowAnonymousKey = "Security:AllowAnonymous";

    public const string AllowedOriginsKey = "Security:AllowedOrigins";

    /// <summary>
    /// Accept connections and publishing without a token. Defaults to true in Development and false elsewhere;
    /// it can only be true in Development.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>The name of the environment the options were made for (validation and messages).</summary>
    public string EnvironmentName { get; set; } = Environments.Production;

    /// <summary>Browser origins allowed on hub and legacy WebSocket paths and by CORS: <c>scheme://host[:port]</c>, or <c>*</c> for any.</summary>
    public IList<string> AllowedOrigins { get; } = [];

    public bool IsDevelopment => string.Equals(EnvironmentName, Environments.Development, StringComparison.OrdinalIgnoreCase);
}
