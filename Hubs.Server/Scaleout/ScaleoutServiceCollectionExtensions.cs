using Microsoft.Extensions.Options;

namespace Hubs.Server.Scaleout;

internal static class ScaleoutServiceCollectionExtensions
{
    /// <summary>In-memory scale-out services (one instance). The Redis variants replace them when <c>Redis:Configuration</c> is set.</summary>
    public static IServiceCollection AddHubsScaleout(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HistoryOptions>().Bind(configuration.GetSection(HistoryOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HistoryOptions>, HistoryOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<InMemoryEventLog>();
        services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<InMemoryEventLog>());
        services.AddSingleton<IUserPresence, InMemoryUserPresence>();
        return services;
    }
}
