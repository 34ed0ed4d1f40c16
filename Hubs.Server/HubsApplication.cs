using Hubs.Contracts;
using Hubs.Server.Delivery;
using Hubs.Server.Generation;
using Hubs.Server.Incidents;
using Hubs.Server.Legacy;
using Hubs.Server.Observability;
using Hubs.Server.Projects;
using Hubs.Server.Scaleout;
using Hubs.Server.Security;
using Hubs.Server.Study;
using Hubs.Server.Web;

namespace Hubs.Server;

/// <summary>The composition root: which hubs, which endpoints, which options. Program.cs and the tests both build the app here.</summary>
public static class HubsApplication
{
    /// <summary>Builds the service. <paramref name="configure"/> lets tests add configuration before services are composed.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var configuration = builder.Configuration;
        builder.AddHubsObservability();

        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => HubsJson.Apply(o.SerializerOptions));
        builder.Services.AddSignalR(o => o.EnableDetailedErrors = builder.Environment.IsDevelopment())
            .AddJsonProtocol(o => HubsJson.Apply(o.PayloadSerializerOptions));

        builder.Services.AddHubsDelivery(configuration);
        builder.Services.AddHubsScaleout(configuration);
        builder.Services.AddHubsSecurity(configuration, builder.Environment);
        builder.Services.AddGeneration(configuration);
        builder.Services.AddProjects();
        builder.Services.AddIncidents();
        builder.Services.AddHubsWeb();
        builder.Services.AddLegacyProtocols(configuration);

        var app = builder.Build();
        app.UseHubsSecurity();
        app.UseShutdownDrain();
        app.UseWebSockets();
        app.MapHubsObservability();
        app.UseHubsWeb();

        var publishApi = app.MapGroup("/api").RequirePublisher().RejectWhenBackplaneUnavailable();
        app.MapGeneration();
        app.MapProjects(publishApi);
        app.MapIncidents(publishApi);
        app.MapStudy(publishApi);
        app.MapLegacyEndpoints();
        return app;
    }
}
