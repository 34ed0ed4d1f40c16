using System.Net.Http.Json;
using System.Text.Json;
using Hubs.Contracts;
using Hubs.Server.Scaleout;
using Hubs.Server.Security;
using Hubs.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Hubs.Tests.Scaleout;

/// <summary>
/// What every hub operation must do whatever the lifetime manager: clients on instance A see what is sent
/// through instance B. The in-memory variant runs both roles on one instance; the Redis variant on two
/// instances sharing a real redis-server.
/// </summary>
public abstract class ScaleoutConformanceTests : IAsyncLifetime
{
    protected HubsServer A { get; set; } = null!;

    protected HubsServer B { get; private set; } = null!;

    public async Task InitializeAsync() => (A, B) = await StartInstancesAsync();

    public abstract Task DisposeAsync();

    internal static Task<HubsServer> StartInstanceAsync(params string[] settings)
        => HubsServer.StartAsync(0, MapTestHub, settings);

    internal static void MapTestHub(WebApplication app) => app.MapSecuredHub<ScaleoutTestHub>(ScaleoutTestHub.Path);

    protected abstract Task<(HubsServer A, HubsServer B)> StartInstancesAsync();

    [Fact]
    public async Task All_SentThroughB_ReachesClientOnA_AndAllExceptSkipsTheExcluded()
    {
        await using var onA = await ScaleoutClient.ConnectAsync(A, "alice");
        await using var excludedOnA = await ScaleoutClient.ConnectAsync(A, "carol");
        await using var onB = await ScaleoutClient.ConnectAsync(B, "bob");

        await onB.InvokeAsync("ToAll", "hello");
        await onB.InvokeAsync("ToAllExcept", "not for carol", new[] { excludedOnA.ConnectionId });
        await onB.InvokeAsync("ToAll", "marker");

        (await onA.NextMessageAsync()).Should().Be("hello");
        (await onA.NextMessageAsync()).Should().Be("not for carol");
        (await onA.NextMessageAsync()).Should().Be("marker");
        (await excludedOnA.NextMessageAsync()).Should().Be("hello");
        (await excludedOnA.NextMessageAsync()).Should().Be("marker", "the excluded connection must not get the all-except message");
        (await onB.NextMessageAsync()).Should().Be("hello");
    }

    [Fact]
    public async Task Connection_SentThroughB_ReachesConnectionsOnA()
    {
        await using var first = await ScaleoutClient.ConnectAsync(A, "alice");
        await using var second = await ScaleoutClient.ConnectAsync(A, "carol");
        await using var onB = await ScaleoutClient.ConnectAsync(B, "bob");

        await onB.InvokeAsync("ToConnection", first.ConnectionId, "one");
        await onB.InvokeAsync("ToConnections", new[] { first.ConnectionId, second.ConnectionId }, "both");

        (await first.NextMessageAsync()).Should().Be("one");
        (await first.NextMessageAsync()).Should().Be("both");
        (await second.NextMessageAsync()).Should().Be("both");
    }

    [Fact]
    public async Task Groups_JoinedOnA_SentThroughB_IncludingGroupsAndGroupExcept()
    {
        await using var member = await ScaleoutClient.ConnectAsync(A, "alice");
        await using var excluded = await ScaleoutClient.ConnectAsync(A, "carol");
        await using var onB = await ScaleoutClient.ConnectAsync(B, "bob");
        await member.InvokeAsync("Join", "g1");
        await excluded.InvokeAsync("Join", "g1");

        await onB.InvokeAsync("ToGroup", "g1", "group");
        await onB.InvokeAsync("ToGroups", new[] { "g1", "other" }, "groups");
        await onB.InvokeAsync("ToGroupExcept", "g1", "except carol", new[] { excluded.ConnectionId });
        await onB.InvokeAsync("ToGroup", "g1", "marker");

        (await member.NextMessageAsync()).Should().Be("group");
        (await member.NextMessageAsync()).Should().Be("groups");
        (await member.NextMessageAsync()).Should().Be("except carol");
        (await member.NextMessageAsync()).Should().Be("marker");
        (await excluded.NextMessageAsync()).Should().Be("group");
        (await excluded.NextMessageAsync()).Should().Be("groups");
        (await excluded.NextMessageAsync()).Should().Be("marker");
    }

    [Fact]
    public async Task GroupMembership_ChangedFromB_ForAConnectionOnA_TakesEffectWhenTheCallCompletes()
    {
        await using var onA = await ScaleoutClient.ConnectAsync(A, "alice");
        await using var onB = await ScaleoutClient.ConnectAsync(B, "bob");

        await onB.InvokeAsync("AddOther", onA.ConnectionId, "g2");
        await onB.InvokeAsync("ToGroup", "g2", "in");
        await onB.InvokeAsync("RemoveOther", onA.ConnectionId, "g2");
        await onB.InvokeAsync("ToGroup", "g2", "out");
        await onB.InvokeAsync("ToConnection", onA.ConnectionId, "marker");

        (await onA.NextMessageAsync()).Should().Be("in");
        (await onA.NextMessageAsync()).Should().Be("marker", "after the removal was acknowledged the group message must not arrive");
    }

    [Fact]
    public async Task Users_SentThroughB_ReachEveryConnectionOfTheUserOnA()
    {
        await using var aliceOnA = await ScaleoutClient.ConnectAsync(A, "alice");
        await using var carolOnA = await ScaleoutClient.ConnectAsync(A, "carol");
        await using var aliceOnB = await ScaleoutClient.ConnectAsync(B, "alice");
        await using var onB = await ScaleoutClient.ConnectAsync(B, "bob");

        await onB.InvokeAsync("ToUser", "alice", "for alice");
        await onB.InvokeAsync("ToUsers", new[] { "alice", "carol" }, "for both");

        (await aliceOnA.NextMessageAsync()).Should().Be("for alice");
        (await aliceOnA.NextMessageAsync()).Should().Be("for both");
        (await aliceOnB.NextMessageAsync()).Should().Be("for alice");
        (await carolOnA.NextMessageAsync()).Should().Be("for both");
    }

    [Fact]
    public async Task ClientResult_AskedThroughB_AnsweredByConnectionOnA()
    {
        await using var onA = await ScaleoutClient.ConnectAsync(A, "alice");
        await using var onB = await ScaleoutClient.ConnectAsync(B, "bob");

        var ask = onB.InvokeAsync("Ask", onA.ConnectionId, "ping?");
        await onA.AnswerAsync("Question", q => q + " pong");

        (await ask).GetString().Should().Be("ping? pong");
    }

    [Fact]
    public async Task GroupSends_FiredBackToBackOnB_ArriveOnA_InTheOrderSent()
    {
        await using var onA = await ScaleoutClient.ConnectAsync(A, "alice");
        await onA.InvokeAsync("Join", "burst");
        var hub = B.Services.GetRequiredService<IHubContext<ScaleoutTestHub>>();

        // Not awaited one by one: the messages are in flight together, as under load, so a receiver that handled
        // one channel's messages concurrently (StackExchange.Redis 2.x+ plain callbacks) would reorder them. Rounds
        // stay under Delivery:MaxPendingMessages, so the client is never cut off as a slow consumer.
        const int rounds = 4, count = 800;
        for (var round = 0; round < rounds; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, count).Select(i => hub.Clients.Group("burst").SendAsync("Message", $"{round}:{i}")));
            for (var i = 0; i < count; i++)
            {
                (await onA.NextMessageAsync()).Should().Be($"{round}:{i}");
            }
        }
    }

    [Fact]
    public async Task ProjectUpdates_PublishedOnB_ReachSubscriberOnA_InOrderWithIncreasingIds()
    {
        await using var onA = await ScaleoutClient.ConnectAsync(A, "alice", HubRoutes.Projects);
        await onA.InvokeAsync("Subscribe", "p-order", null);

        var published = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            published.Add(await B.PublishProjectUpdateAsync("p-order", new { n = i }));
        }

        var ids = new List<StreamId>();
        for (var i = 0; i < 5; i++)
        {
            var update = (await onA.NextInvocationAsync("ProjectUpdated")).GetProperty("arguments")[0];
            update.GetProperty("data").GetProperty("n").GetInt32().Should().Be(i);
            StreamId.TryParse(update.GetProperty("message_id").GetString(), out var id).Should().BeTrue();
            ids.Add(id);
        }

        ids.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        ids.Select(i => i.ToString()).Should().Equal(published);
    }

    [Fact]
    public async Task IncidentEvents_PublishedOnB_ReachMatchingSubscriberOnA_FilteredOnA_InOrder()
    {
        await using var onA = await ScaleoutClient.ConnectAsync(A, "alice", HubRoutes.Incidents);
        await onA.InvokeAsync("Subscribe", "critical", Json(new { severities = new[] { "P0", "P1" } }), null);

        var ids = new List<string>();
        foreach (var (id, severity) in new[] { ("i1", "P1"), ("i2", "P3"), ("i3", "P0") })
        {
            using var response = await B.Http.PostAsync("/api/incidents/events", JsonContent(new
            {
                event_type = "incident_created",
                incident = new { id, severity, title = id, state = "open", source = "test" },
            }));
            response.EnsureSuccessStatusCode();
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message_id").GetString()!);
        }

        var first = (await onA.NextInvocationAsync("IncidentEvent")).GetProperty("arguments")[0];
        var second = (await onA.NextInvocationAsync("IncidentEvent")).GetProperty("arguments")[0];
        first.GetProperty("event").GetProperty("incident").GetProperty("id").GetString().Should().Be("i1");
        second.GetProperty("event").GetProperty("incident").GetProperty("id").GetString().Should().Be("i3", "the P3 incident does not match the filter");
        first.GetProperty("message_id").GetString().Should().Be(ids[0]);
        second.GetProperty("message_id").GetString().Should().Be(ids[2]);
    }

    [Fact]
    public async Task Since_OnA_ReplaysWhatWasPublishedOnB()
    {
        var first = await B.PublishProjectUpdateAsync("p-since", new { n = 1 });
        await B.PublishProjectUpdateAsync("p-since", new { n = 2 });
        await B.PublishProjectUpdateAsync("p-since", new { n = 3 });
        await using var onA = await ScaleoutClient.ConnectAsync(A, "alice", HubRoutes.Projects);

        var subscription = await onA.InvokeAsync("Subscribe", "p-since", first);

        subscription.GetProperty("replayed").GetInt32().Should().Be(2);
        (await onA.NextInvocationAsync("ProjectUpdated")).GetProperty("arguments")[0].GetProperty("data").GetProperty("n").GetInt32().Should().Be(2);
        (await onA.NextInvocationAsync("ProjectUpdated")).GetProperty("arguments")[0].GetProperty("data").GetProperty("n").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task ProjectUpdate_PublishedOnBRightAfterSubscribeReturnsOnA_ReachesTheSubscriber_ForEveryFreshProject()
    {
        await using var onA = await ScaleoutClient.ConnectAsync(A, "alice", HubRoutes.Projects);

        // Each project is new to A, so each Subscribe is the one that makes A listen to the project's topic;
        // an update published the moment it returns must already arrive.
        for (var i = 0; i < 20; i++)
        {
            var project = $"p-fresh-{Guid.NewGuid():N}";
            await onA.InvokeAsync("Subscribe", project, null);
            var id = await B.PublishProjectUpdateAsync(project, new { n = i });

            var update = (await onA.NextInvocationAsync("ProjectUpdated")).GetProperty("arguments")[0];
            update.GetProperty("project_id").GetString().Should().Be(project);
            update.GetProperty("message_id").GetString().Should().Be(id);
        }
    }

    [Fact]
    public async Task ProjectSubscription_TakenAgainRightAfterTheLastSubscriberLeft_StillReceivesUpdates()
    {
        await using var first = await ScaleoutClient.ConnectAsync(A, "alice", HubRoutes.Projects);
        await using var second = await ScaleoutClient.ConnectAsync(A, "carol", HubRoutes.Projects);

        // Leaving and joining back to back makes A release and take the project's topic again in quick succession.
        for (var i = 0; i < 10; i++)
        {
            await first.InvokeAsync("Subscribe", "p-churn", null);
            await first.InvokeAsync("Unsubscribe", "p-churn");
            await second.InvokeAsync("Subscribe", "p-churn", null);
            await second.InvokeAsync("Unsubscribe", "p-churn");
        }

        await second.InvokeAsync("Subscribe", "p-churn", null);
        await B.PublishProjectUpdateAsync("p-churn", new { n = 1 });

        (await second.NextInvocationAsync("ProjectUpdated")).GetProperty("arguments")[0].GetProperty("data").GetProperty("n").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task ProjectUpdates_ForSeveralProjectsOfOneConnection_EachArriveOnce_AndNotAfterUnsubscribe()
    {
        await using var onA = await ScaleoutClient.ConnectAsync(A, "alice", HubRoutes.Projects);
        await onA.InvokeAsync("Subscribe", "p-multi-1", null);
        await onA.InvokeAsync("Subscribe", "p-multi-2", null);
        await onA.InvokeAsync("Subscribe", "p-multi-2", null);

        await B.PublishProjectUpdateAsync("p-multi-1", new { n = 1 });
        (await onA.NextInvocationAsync("ProjectUpdated")).GetProperty("arguments")[0].GetProperty("data").GetProperty("n").GetInt32().Should().Be(1);
        await B.PublishProjectUpdateAsync("p-multi-2", new { n = 2 });
        (await onA.NextInvocationAsync("ProjectUpdated")).GetProperty("arguments")[0].GetProperty("data").GetProperty("n").GetInt32().Should().Be(2);

        await onA.InvokeAsync("Unsubscribe", "p-multi-1");
        await B.PublishProjectUpdateAsync("p-multi-1", new { n = 3 });
        await B.PublishProjectUpdateAsync("p-multi-2", new { n = 4 });

        // Re-subscribing to p-multi-2 did not make A deliver it twice, and p-multi-1's update 3 is not delivered.
        (await onA.NextInvocationAsync("ProjectUpdated")).GetProperty("arguments")[0].GetProperty("data").GetProperty("n").GetInt32().Should().Be(4);
    }

    [Fact]
    public async Task Subscribe_WithoutSince_ToAProjectWithHistory_ReportsItsNewestMessageIdAsPosition()
    {
        var project = $"p-position-{Guid.NewGuid():N}";
        await B.PublishProjectUpdateAsync(project, new { n = 1 });
        var newest = await B.PublishProjectUpdateAsync(project, new { n = 2 });
        await using var onA = await ScaleoutClient.ConnectAsync(A, "alice", HubRoutes.Projects);

        var subscription = await onA.InvokeAsync("Subscribe", project, null);

        // A client that resumes from this position gets what comes after it, not the project's whole history.
        subscription.GetProperty("position").GetString().Should().Be(newest);
    }

    private static StringContent JsonContent(object value)
        => new(JsonSerializer.Serialize(value, HubsJson.Options), System.Text.Encoding.UTF8, "application/json");

    protected static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value, HubsJson.Options);
}
