using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Security;

internal static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// JWT bearer authentication, the <see cref="HubsPolicies"/>, origin allow-list and CORS, per-user limits (hub filters,
    /// publish rate limiter), defensive SignalR and Kestrel settings, and the access helpers the hubs call
    /// (<see cref="IProjectAccess"/>, <see cref="IIncidentAccess"/>, <see cref="IUserChannelAccess"/>, <see cref="SubscriptionLimit"/>).
    /// </summary>
    public static IServiceCollection AddHubsSecurity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<JwtOptions>().Bind(configuration.GetSection(JwtOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtOptions>, JwtOptionsValidator>());
        services.AddOptions<SecurityOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<SecurityOptions>>(new ConfigureSecurityOptions(configuration, environment));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>());
        services.AddOptions<LimitsOptions>().Bind(configuration.GetSection(LimitsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>());

        services.TryAddSingleton<OriginPolicy>();
        services.TryAddSingleton<ClaimsAccessRules>();
        services.TryAddSingleton<IProjectAccess>(sp => sp.GetRequiredService<ClaimsAccessRules>());
        services.TryAddSingleton<IIncidentAccess>(sp => sp.GetRequiredService<ClaimsAccessRules>());
        services.TryAddSingleton<IUserChannelAccess>(sp => sp.GetRequiredService<ClaimsAccessRules>());
        services.TryAddSingleton<IConnectionAuthorizer, ConnectionAuthorizer>();
        services.TryAddSingleton<IUserRateLimiter, SlidingWindowUserRateLimiter>();
        services.TryAddSingleton<IConnectionLimiter, ConnectionLimiter>();
        services.TryAddSingleton<SubscriptionLimit>();

        // SignalR: our user id rule (Replace wins whether AddSignalR runs before or after), limits and filters.
        services.Replace(ServiceDescriptor.Singleton<IUserIdProvider, HubsUserIdProvider>());
        services.TryAddSingleton<ConnectionLimitHubFilter>();
        services.TryAddSingleton<RateLimitHubFilter>();
        services.ConfigureOptions<ConfigureHubOptions>();
        services.ConfigureOptions<ConfigureKestrelLimits>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.ConfigureOptions<ConfigureJwtBearerOptions>();
        services.AddAuthorizationBuilder()
            .AddPolicy(HubsPolicies.Connect, p => p.AddRequirements(new HubsAccessRequirement(HubsAccessRequirement.Kind.Connect)))
            .AddPolicy(HubsPolicies.Publisher, p => p.AddRequirements(new HubsAccessRequirement(HubsAccessRequirement.Kind.Publisher)))
            .AddPolicy(HubsPolicies.Incidents, p => p.AddRequirements(new HubsAccessRequirement(HubsAccessRequirement.Kind.Incidents)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, HubsAccessHandler>());

        services.AddCors();
        services.ConfigureOptions<ConfigureCorsOptions>();
        services.AddRateLimiter(_ => { });
        services.ConfigureOptions<ConfigurePublishRateLimiter>();

        services.AddHostedService<SecurityStartupReporter>();
        return services;
    }
}
