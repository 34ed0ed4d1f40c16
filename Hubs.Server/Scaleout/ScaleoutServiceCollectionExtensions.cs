namespace Hubs.Server.Scaleout;

internal static class ScaleoutServiceCollectionExtensions
{
    /// <summary>In-memory scale-out services (one instance). The Redis variants replace them when <c>Redis:Configuration</c> is set.</summary>
    public static IServiceCollection AddHubsScaleout(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<InMemoryEventLog>();
        services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<InMemoryEventLog>());
        return services;
    }
}
