using Hubs.Server;

// The whole service is composed in HubsApplication.Build (tests build the same app on a loopback port).
var app = HubsApplication.Build(args);
await app.RunAsync();
