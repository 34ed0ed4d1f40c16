using Hubs.Server;
using Hubs.Server.Schema;
using Hubs.Server.Security;

// Command-line verbs run instead of the service:
//   token ...            mint a JWT with the configured (or development) key; the token is the last line printed
//   generate-clients DIR regenerate clients/typescript from the contracts
if (TokenCommand.TryRun(args, out var exitCode) || GenerateClientsCommand.TryRun(args, out exitCode))
{
    return exitCode;
}

// The whole service is composed in HubsApplication.Build (tests build the same app on a loopback port).
var app = HubsApplication.Build(args);
await app.RunAsync();
return 0;
