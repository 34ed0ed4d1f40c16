using Hubs.Server.Observability;
using Hubs.Server.Scaleout.Redis;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Scaleout;

internal static class ScaleoutServiceCollectionExtensions
{
    /// <summary>In-memory scale-out services (one instance), or the Redis ones when <c>Redis:Configuration</c> is set.</summary>
    public static IServiceCollection AddHubsScaleout(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HistoryOptions>().Bind(configuration.GetSection(HistoryOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HistoryOptions>, HistoryOptionsValidator>();
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        if (string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.SectionName}:{nameof(RedisOptions.Configuration)}"]))
        {
            services.AddSingleton<InMemoryEventLog>();
            services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<InMemoryEventLog>());
            services.AddSingleton<IUserPresence, InMemoryUserPresence>();
            return services;
        }

        services.AddSingleton<RedisConnection>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisConnection>());
        services.AddSingleton<RedisEventLog>();
        services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<RedisEventLog>());
        services.AddSingleton<RedisUserPresence>();
        services.AddSingleton<IUserPresence>(sp => sp.GetRequiredService<RedisUserPresence>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisUserPresence>());
        services.Replace(ServiceDescriptor.Singleton(typeof(HubLifetimeManager<>), typeof(RedisHubLifetimeManager<>)));
        services.AddHealthChecks().AddCheck<RedisHealthCheck>(HealthResponses.RedisCheckName);
        return services;
    }

    /// <summary>Publish endpoints answer 503 (problem details) when the shared event log cannot take the message.</summary>
    public static RouteGroupBuilder RejectWhenBackplaneUnavailable(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (BackplaneUnavailableException ex)
            {
                return Results.Problem(
                    title: "Message store unavailable",
                    detail: ex.Message + " Nothing was published; retry later.",
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        return group;
    }
}
