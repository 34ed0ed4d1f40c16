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
var started = app.Lifetime.ApplicationStarted; // read now: RunAsync disposes the host, and its services, on the way out
try
{
    await app.RunAsync();
}
catch (Exception ex) when (!started.IsCancellationRequested)
{
    // It never started (a port in use, invalid options): the host has logged the failure with its stack. Left
    // unhandled it would abort the runtime (exit 134, a core dump where enabled) instead of a plain failure exit.
    await Console.Error.WriteLineAsync($"Hubs.Server did not start: {ex.Message}");
    return 1;
}

return 0;
