using Microsoft.Extensions.Options;

namespace Hubs.Server.Security;

/// <summary>
/// Reads <see cref="SecurityOptions"/> by hand: origins come from two keys (<c>CORS_ORIGINS</c> and <c>Security:AllowedOrigins</c>),
/// each either a comma-separated string (what an environment variable gives) or a JSON array, which the binder cannot merge.
/// </summary>
internal sealed class ConfigureSecurityOptions(IConfiguration configuration, IHostEnvironment environment) : IConfigureOptions<SecurityOptions>
{
    public void Configure(SecurityOptions options)
    {
        options.EnvironmentName = environment.EnvironmentName;
        options.AllowAnonymous = configuration.GetValue<bool?>(SecurityOptions.AllowAnonymousKey) ?? environment.IsDevelopment();

        foreach (var origin in ReadList(configuration.GetSection(SecurityOptions.CorsOriginsKey))
                     .Concat(ReadList(configuration.GetSection(SecurityOptions.AllowedOriginsKey))))
        {
            if (!options.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
            {
                options.AllowedOrigins.Add(origin);
            }
        }
    }

    private static IEnumerable<string> ReadList(IConfigurationSection section)
    {
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? string.Empty);
        return values
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(v => v.Length > 0);
    }
}
