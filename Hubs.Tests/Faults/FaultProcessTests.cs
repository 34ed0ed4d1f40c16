namespace Hubs.Tests.Faults;

/// <summary>
/// The fault tests run real server processes (and stop/start redis-server on a fixed port): they run alone, after
/// the parallel part of the suite, so another test cannot take a freed port or starve a process of the 2 cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultProcessTests
{
    public const string Name = "Faults (real processes)";
}
