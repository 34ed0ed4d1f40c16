using Hubs.Contracts;
using Hubs.Server.Observability;
using Hubs.Server.Scaleout;

namespace Hubs.Server;

/// <summary>The composition root: which hubs, which endpoints, which options. Program.cs and the tests both build the app here.</summary>
public static class HubsApplication
{
    /// <summary>Builds the service. <paramref name="configure"/> lets tests add configuration before services are composed.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddHubsObservability();

        builder.Services.AddSignalR()
            .AddJsonProtocol(o => HubsJson.Apply(o.PayloadSerializerOptions));
        builder.Services.AddHubsScaleout(builder.Configuration);

        var app = builder.Build();
        app.MapHubsObservability();
        return app;
    }
}
