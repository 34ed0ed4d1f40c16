using Hubs.Server.Generation;
using Hubs.Server.Incidents;
using Hubs.Server.Projects;
using Hubs.Server.Security;
using Hubs.Server.Study;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Legacy;

internal static class LegacyServiceCollectionExtensions
{
    public const string GenerationPath = "/ws/stream-generation";
    public const string UserChannelPath = "/api/ws/{" + HubsUserIdProvider.UserIdParameter + "}";
    public const string ProjectsPath = "/ws/projects";
    public const string SharedPath = "/ws";

    /// <summary>The four legacy protocols (registered with SignalR by name), the bridge and its options.</summary>
    public static IServiceCollection AddLegacyProtocols(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LegacyOptions>().Bind(configuration.GetSection(LegacyOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LegacyOptions>, LegacyOptionsValidator>());

        services.TryAddSingleton<GenerationLegacyProtocol>();
        services.TryAddSingleton<UserChannelLegacyProtocol>();
        services.TryAddSingleton<ProjectsLegacyProtocol>();
        services.TryAddSingleton<IncidentsLegacyProtocol>();
        services.AddSingleton<IHubProtocol>(sp => sp.GetRequiredService<GenerationLegacyProtocol>());
        services.AddSingleton<IHubProtocol>(sp => sp.GetRequiredService<UserChannelLegacyProtocol>());
        services.AddSingleton<IHubProtocol>(sp => sp.GetRequiredService<ProjectsLegacyProtocol>());
        services.AddSingleton<IHubProtocol>(sp => sp.GetRequiredService<IncidentsLegacyProtocol>());

        services.TryAddSingleton<LegacyBridge>();
        services.TryAddSingleton<LegacyGenerationGate>();
        services.Configure<HubOptions>(o => o.AddFilter<LegacyGenerationGate>());
        return services;
    }

    /// <summary>
    /// <c>/ws/stream-generation</c>, <c>/api/ws/{user_id}</c>, <c>/ws/projects</c>, and <c>/ws</c>, which speaks the
    /// project protocol when the request has a <c>project_id</c> query parameter and the incident protocol otherwise.
    /// </summary>
    public static IEndpointRouteBuilder MapLegacyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var bridge = services.GetRequiredService<LegacyBridge>();
        var generation = services.GetRequiredService<GenerationLegacyProtocol>();
        var user = services.GetRequiredService<UserChannelLegacyProtocol>();
        var projects = services.GetRequiredService<ProjectsLegacyProtocol>();
        var incidents = services.GetRequiredService<IncidentsLegacyProtocol>();

        endpoints.Map(GenerationPath, context => bridge.RunAsync<GenerationHub>(context, generation)).ExcludeFromDescription();
        endpoints.Map(UserChannelPath, context => bridge.RunAsync<StudyHub>(context, user, requiredUserId: context.Request.RouteValues[HubsUserIdProvider.UserIdParameter] as string ?? string.Empty)).ExcludeFromDescription();
        endpoints.Map(ProjectsPath, context => bridge.RunAsync<ProjectsHub>(context, projects)).ExcludeFromDescription();
        endpoints.Map(SharedPath, context => context.Request.Query.ContainsKey(ProjectsLegacyProtocol.ProjectIdQuery)
            ? bridge.RunAsync<ProjectsHub>(context, projects)
            : bridge.RunAsync<IncidentsHub>(context, incidents)).ExcludeFromDescription();
        return endpoints;
    }
}
