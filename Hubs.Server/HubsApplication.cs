using Hubs.Contracts;
using Hubs.Server.Scaleout;
using Hubs.Server.Security;

namespace Hubs.Server;

/// <summary>The composition root: which hubs, which endpoints, which options. Program.cs and the tests both build the app here.</summary>
public static class HubsApplication
{
    /// <summary>Builds the service. <paramref name="configure"/> lets tests add configuration before services are composed.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        builder.Services.AddSignalR()
            .AddJsonProtocol(o => HubsJson.Apply(o.PayloadSerializerOptions));
        builder.Services.AddHubsScaleout(builder.Configuration);
        builder.Services.AddHubsSecurity(builder.Configuration, builder.Environment);

        var app = builder.Build();
        app.UseHubsSecurity();
        return app;
    }
}
