using Hubs.Bench;

// Hubs.Bench <scenario> [--key value ...]: the coordinator. "worker" is how it starts its own worker processes.
var command = args.Length > 0 ? args[0] : "help";
var options = new BenchArgs(args.Skip(1));
return command switch
{
    "worker" => await new Worker(options).RunAsync(),
    "fanout" => await Scenarios.FanoutAsync(options),
    "saturation" => await Scenarios.SaturationAsync(options),
    "idle" => await Scenarios.IdleAsync(options),
    "generation" => await Scenarios.GenerationAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Hubs.Bench fanout|saturation|idle|generation [--url U] [--pub-url U] [--server-pids p1,p2] [--workers N] ...; see docs/performance.md");
    return 2;
}
