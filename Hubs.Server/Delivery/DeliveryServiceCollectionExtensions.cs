using Hubs.Server.Generation;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Delivery;

internal static class DeliveryServiceCollectionExtensions
{
    /// <summary>Outboxes with slow-consumer cut-off, the local lifetime manager, and the graceful-shutdown drain.</summary>
    public static IServiceCollection AddHubsDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.SectionName))
            .Validate(o => o.MaxPendingMessages >= 1, "Delivery:MaxPendingMessages must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<SlowConsumerHandler>();
        services.AddSingleton(typeof(LocalConnections<>));
        services.Replace(ServiceDescriptor.Singleton(typeof(HubLifetimeManager<>), typeof(LocalHubLifetimeManager<>)));

        services.AddOptions<HeartbeatOptions>().Bind(configuration.GetSection(HeartbeatOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HeartbeatOptions>, HeartbeatOptionsValidator>();
        services.AddSingleton<IConfigureOptions<HubOptions>, ConfigureHeartbeat>();

        services.AddOptions<ShutdownOptions>().Bind(configuration.GetSection(ShutdownOptions.SectionName))
            .Validate(o => o.DrainTimeout >= TimeSpan.Zero, "Shutdown:DrainTimeout must not be negative.")
            .Validate(o => o.FlushGrace >= TimeSpan.Zero, "Shutdown:FlushGrace must not be negative.")
            .ValidateOnStart();
        services.AddSingleton<GenerationTracker>();
        services.AddSingleton<ShutdownDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<ShutdownDrain>());
        services.Replace(ServiceDescriptor.Singleton<IHostLifetime, DrainingConsoleLifetime>());

        // The host must wait longer than the drain, or it would cut the drain short.
        services.Configure<HostOptions>(o =>
        {
            var drain = configuration.GetSection(ShutdownOptions.SectionName).GetValue<TimeSpan?>(nameof(ShutdownOptions.DrainTimeout)) ?? new ShutdownOptions().DrainTimeout;
            o.ShutdownTimeout = drain + TimeSpan.FromSeconds(10);
        });
        return services;
    }

    /// <summary>Refuses new hub and WebSocket connections while draining (503, so clients retry another instance).</summary>
    public static IApplicationBuilder UseShutdownDrain(this IApplicationBuilder app)
    {
        var drain = app.ApplicationServices.GetRequiredService<ShutdownDrain>();
        return app.Use((context, next) =>
        {
            if (drain.IsDraining && (context.WebSockets.IsWebSocketRequest || context.Request.Path.StartsWithSegments("/hubs")))
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "1";
                return Task.CompletedTask;
            }

            return next(context);
        });
    }
}
