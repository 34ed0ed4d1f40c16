using Hubs.Server;
using Hubs.Server.Security;

// The whole service is composed in HubsApplication.Build (tests build the same app on a loopback port).
if (TokenCommand.TryRun(args, out var exitCode))
{
    return exitCode;
}

var app = HubsApplication.Build(args);
await app.RunAsync();
return 0;
