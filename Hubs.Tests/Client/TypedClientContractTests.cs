using System.Reflection;
using Hubs.Client;
using Hubs.Client.Generation;
using Hubs.Client.Incidents;
using Hubs.Client.Projects;
using Hubs.Client.Study;
using Hubs.Contracts;
using Hubs.Contracts.Generation;
using Hubs.Contracts.Incidents;
using Hubs.Contracts.Projects;
using Hubs.Contracts.Study;

namespace Hubs.Tests.Client;

/// <summary>
/// Proves by reflection, against a real server whose hubs implement the same Contracts interfaces, that the typed
/// clients cannot drift from the contracts: every server method is reachable under its interface name with its
/// arguments intact, and every callback has an <c>On...</c> registration that receives it.
/// </summary>
public sealed class TypedClientContractTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>Hub interface, callback interface, typed client, and how to get it from <see cref="HubsClient"/>.</summary>
    private static readonly (Type Hub, Type Callbacks, Type Client, Func<HubsClient, TypedHubClient> Get)[] Hubs =
    [
        (typeof(IGenerationHub), typeof(IGenerationClient), typeof(GenerationClient), h => h.Generation),
        (typeof(IProjectsHub), typeof(IProjectsClient), typeof(ProjectsClient), h => h.Projects),
        (typeof(IIncidentsHub), typeof(IIncidentsClient), typeof(IncidentsClient), h => h.Incidents),
        (typeof(IStudyHub), typeof(IStudyClient), typeof(StudyClient), h => h.Study),
    ];

    public static TheoryData<string> HubNames => [.. Hubs.Select(h => h.Hub.Name)];

    [Fact]
    public void TypedClients_CoverEveryHubAndCallbackInterfaceOfContracts()
    {
        var contractInterfaces = typeof(HubRoutes).Assembly.GetExportedTypes().Where(t => t.IsInterface).ToList();

        var hubInterfaces = contractInterfaces.Where(t => t.Name.EndsWith("Hub", StringComparison.Ordinal));
        var callbackInterfaces = contractInterfaces.Where(t => t.Name.EndsWith("Client", StringComparison.Ordinal));

        hubInterfaces.Select(t => t.FullName).Should().BeEquivalentTo(
            Hubs.Select(h => h.Hub.FullName), "every hub interface in Contracts needs a typed client");
        callbackInterfaces.Select(t => t.FullName).Should().BeEquivalentTo(
            Hubs.Select(h => h.Callbacks.FullName), "every callback interface in Contracts needs registrations");
        foreach (var (hub, _, client, _) in Hubs)
        {
            client.Should().Implement(hub);
            client.Should().BeDerivedFrom<TypedHubClient>();
        }
    }

    [Theory]
    [MemberData(nameof(HubNames))]
    public async Task TypedClient_EveryServerMethod_ReachesTheHubUnderItsInterfaceNameWithItsArguments(string hubName)
    {
        var (hub, _, _, get) = Hubs.Single(h => h.Hub.Name == hubName);
        await using var server = await TestHubServer.StartAsync();
        await using var hubs = new HubsClient(server.BaseUrl);
        var client = get(hubs);
        await client.StartAsync().WaitAsync(Patience);
        using var timeout = new CancellationTokenSource(Patience);

        foreach (var method in hub.GetMethods())
        {
            var arguments = method.GetParameters()
                .Select(p => p.ParameterType == typeof(CancellationToken) ? timeout.Token : ContractSamples.For(p.ParameterType))
                .ToArray();

            await CallAsync(method.Invoke(client, arguments), timeout.Token);

            var sent = arguments.Where(a => a is not CancellationToken);
            var recorded = await server.Observations.NextRecordAsync(timeout.Token);
            recorded.Should().Be(
                method.Name + " " + string.Join(" ", sent.Select(ContractSamples.Wire)),
                $"{client.GetType().Name}.{method.Name} must call '{method.Name}' with its arguments unchanged");
        }
    }

    [Theory]
    [MemberData(nameof(HubNames))]
    public async Task TypedClient_EveryCallback_HasAnOnRegistrationThatReceivesIt(string hubName)
    {
        var (_, callbacks, clientType, get) = Hubs.Single(h => h.Hub.Name == hubName);
        await using var server = await TestHubServer.StartAsync();
        await using var hubs = new HubsClient(server.BaseUrl);
        var client = get(hubs);
        var received = new Dictionary<string, TaskCompletionSource<object?>>();
        foreach (var callback in callbacks.GetMethods())
        {
            var parameter = callback.GetParameters().Should().ContainSingle($"{callback.Name} is expected to take one argument").Which;
            var handlerType = typeof(Func<,>).MakeGenericType(parameter.ParameterType, typeof(Task));
            var register = clientType.GetMethod("On" + callback.Name, [handlerType]);
            register.Should().NotBeNull($"{clientType.Name} must offer On{callback.Name}({handlerType.Name}) for {callbacks.Name}.{callback.Name}");
            register!.ReturnType.Should().Be<IDisposable>();

            var arrived = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
            received[callback.Name] = arrived;
            register.Invoke(client, [CreateHandler(parameter.ParameterType, arrived)]);
        }

        await client.StartAsync().WaitAsync(Patience);

        foreach (var callback in callbacks.GetMethods())
        {
            var sample = ContractSamples.For(callback.GetParameters()[0].ParameterType);
            await client.Connection.InvokeAsync("TriggerCallback", [callback.Name, sample]).WaitAsync(Patience);

            var arrived = await received[callback.Name].Task.WaitAsync(Patience);

            arrived.Should().BeOfType(sample.GetType());
            ContractSamples.Wire(arrived).Should().Be(ContractSamples.Wire(sample));
        }
    }

    [Fact]
    public async Task Generate_TypedStream_YieldsTypedUpdatesUntilComplete()
    {
        await using var server = await TestHubServer.StartAsync();
        await using var hubs = new HubsClient(server.BaseUrl);
        await hubs.Generation.StartAsync().WaitAsync(Patience);
        using var timeout = new CancellationTokenSource(Patience);

        var updates = new List<GenerationUpdate>();
        await foreach (var update in hubs.Generation.Generate(new GenerationRequest("prompt", "u1"), timeout.Token))
        {
            updates.Add(update);
        }

        updates.Select(u => u.Type).Should().Equal(GenerationUpdateType.AgentStart, GenerationUpdateType.Complete);
        updates[0].Agent.Should().Be(GenerationAgents.Research);
    }

    [Fact]
    public async Task HubsClient_ConfigureOptions_AppliesToEveryHubButKeepsItsRoute()
    {
        await using var server = await TestHubServer.StartAsync();
        await using var hubs = new HubsClient(server.BaseUrl, options =>
        {
            options.Url = new Uri("http://example.invalid/ignored");
            options.AccessTokenProvider = _ => ValueTask.FromResult<string?>("shared-token");
        });

        var connection = hubs.CreateConnection(ClientTestHub.Path);
        await using (connection)
        {
            await connection.StartAsync().WaitAsync(Patience);
            var seen = await connection.InvokeAsync<TokenSeen>("WhoAmI", []).WaitAsync(Patience);
            seen.QueryToken.Should().Be("shared-token");
        }

        hubs.Projects.Connection.Url.Should().Be(new Uri(server.BaseUrl, HubRoutes.Projects));
        hubs.Incidents.Connection.Url.Should().Be(new Uri(server.BaseUrl, HubRoutes.Incidents));
        hubs.Study.Connection.Url.Should().Be(new Uri(server.BaseUrl, HubRoutes.Study));
        hubs.Generation.Connection.Url.Should().Be(new Uri(server.BaseUrl, HubRoutes.Generation));
        hubs.Projects.Should().BeSameAs(hubs.Projects);
    }

    private static async Task CallAsync(object? result, CancellationToken cancellationToken)
    {
        switch (result)
        {
            case Task task:
                await task.WaitAsync(cancellationToken);
                break;
            case IAsyncEnumerable<object> stream:
                await foreach (var _ in stream.WithCancellation(cancellationToken))
                {
                }

                break;
            default:
                throw new InvalidOperationException($"Unexpected return value {result?.GetType()}; teach {nameof(CallAsync)} about it.");
        }
    }

    private static Delegate CreateHandler(Type argumentType, TaskCompletionSource<object?> arrived) =>
        (Delegate)typeof(TypedClientContractTests)
            .GetMethod(nameof(Handler), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(argumentType)
            .Invoke(null, [arrived])!;

    private static Func<T, Task> Handler<T>(TaskCompletionSource<object?> arrived) => argument =>
    {
        arrived.TrySetResult(argument);
        return Task.CompletedTask;
    };
}
