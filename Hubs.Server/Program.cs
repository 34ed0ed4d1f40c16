using Hubs.Server;
using Hubs.Server.Schema;

// Command-line verbs run instead of the service (generate-clients: regenerate clients/typescript from the contracts).
if (GenerateClientsCommand.TryRun(args, out var exitCode))
{
    return exitCode;
}

// The whole service is composed in HubsApplication.Build (tests build the same app on a loopback port).
var app = HubsApplication.Build(args);
await app.RunAsync();
return 0;
