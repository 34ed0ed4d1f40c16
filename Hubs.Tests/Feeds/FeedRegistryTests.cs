using System.Collections.Concurrent;
using Hubs.Server.Feeds;
using Hubs.Server.Scaleout;

namespace Hubs.Tests.Feeds;

public sealed class FeedRegistryTests
{
    private sealed record Item(long N, string Kind);

    private static StreamId Id(long n) => new(n, 0);

    private static Func<StreamId, CancellationToken, ValueTask<(IReadOnlyList<(StreamId Id, Item Item)> Page, bool Truncated)>> History(
        IReadOnlyList<Item> items, int pageSize = 2, Func<Task>? onRead = null, long trimmedUpTo = 0)
        => async (after, _) =>
        {
            if (onRead is not null)
            {
                await onRead();
            }

            var page = items.Where(i => Id(i.N) > after).Take(pageSize).Select(i => (Id(i.N), i)).ToList();
            return (page, after < Id(trimmedUpTo));
        };

    [Fact]
    public async Task Dispatch_ConnectionWithTwoMatchingSubscriptions_IsListedOnce()
    {
        var registry = new FeedRegistry<Item, string>(id => id);
        await registry.SubscribeAsync("c1", "a", null, _ => true, null, History([]), (_, _) => Task.CompletedTask, default);
        await registry.SubscribeAsync("c1", "b", null, _ => true, null, History([]), (_, _) => Task.CompletedTask, default);

        registry.Dispatch(Id(1), null, new Item(1, "x")).Should().Equal("c1");
    }

    [Fact]
    public async Task Dispatch_ReturnsTheRecipientFoundAtFirstSubscribe_WithoutLookingItUpPerEvent()
    {
        var lookups = 0;
        var recipient = new object();
        var registry = new FeedRegistry<Item, object>(_ => { lookups++; return recipient; });
        await registry.SubscribeAsync("c1", "a", null, _ => true, null, History([]), (_, _) => Task.CompletedTask, default);
        await registry.SubscribeAsync("c1", "b", null, _ => true, null, History([]), (_, _) => Task.CompletedTask, default);

        registry.Dispatch(Id(1), null, new Item(1, "x")).Should().ContainSingle().Which.Should().BeSameAs(recipient);
        registry.Dispatch(Id(2), null, new Item(2, "x")).Should().ContainSingle().Which.Should().BeSameAs(recipient);
        lookups.Should().Be(1);
    }

    [Fact]
    public async Task SubscribeAsync_ConnectionNotOpenOnThisInstance_FailsAndRegistersNothing()
    {
        var registry = new FeedRegistry<Item, string>(_ => null);

        var subscribe = () => registry.SubscribeAsync("gone", "a", null, _ => true, null, History([]), (_, _) => Task.CompletedTask, default);

        await subscribe.Should().ThrowAsync<InvalidOperationException>().WithMessage("*gone*not open*");
        registry.Count("gone").Should().Be(0);
        registry.TotalSubscriptions.Should().Be(0);
    }

    [Fact]
    public async Task Dispatch_Route_OnlyConsidersSubscriptionsOfThatRoute()
    {
        var registry = new FeedRegistry<Item, string>(id => id);
        await registry.SubscribeAsync("c1", "p1", "p1", _ => true, null, History([]), (_, _) => Task.CompletedTask, default);
        await registry.SubscribeAsync("c2", "p2", "p2", _ => true, null, History([]), (_, _) => Task.CompletedTask, default);

        registry.Dispatch(Id(1), "p2", new Item(1, "x")).Should().Equal("c2");
        registry.Unsubscribe("c2", "p2").Should().BeTrue();
        registry.Dispatch(Id(2), "p2", new Item(2, "x")).Should().BeEmpty();
        registry.Unsubscribe("c2", "p2").Should().BeFalse();
    }

    [Fact]
    public async Task SubscribeAsync_WithSince_ReplaysOnlyMatchingEventsAfterIt()
    {
        var registry = new FeedRegistry<Item, string>(id => id);
        var history = Enumerable.Range(1, 7).Select(n => new Item(n, n % 2 == 0 ? "even" : "odd")).ToList();
        var sent = new List<long>();

        var replay = await registry.SubscribeAsync("c1", "s", null, i => i.Kind == "even", Id(2), History(history), (i, _) => { sent.Add(i.N); return Task.CompletedTask; }, default);

        sent.Should().Equal(4, 6);
        replay.Should().Be(new FeedReplay(2, HistoryTruncated: false, Position: Id(2)));
    }

    [Fact]
    public async Task SubscribeAsync_WithoutSince_ReportsLastDispatchedAsPosition()
    {
        var registry = new FeedRegistry<Item, string>(id => id);
        registry.Dispatch(Id(3), null, new Item(3, "x"));

        var replay = await registry.SubscribeAsync("c1", "s", null, _ => true, null, History([]), (_, _) => Task.CompletedTask, default);

        replay.Position.Should().Be(Id(3));
        registry.Dispatch(Id(4), null, new Item(4, "x")).Should().Equal("c1");
    }

    [Fact]
    public async Task SubscribeAsync_SinceOlderThanRetainedHistory_ReportsTruncation()
    {
        var registry = new FeedRegistry<Item, string>(id => id);
        var replay = await registry.SubscribeAsync("c1", "s", null, _ => true, Id(1), History([new Item(5, "x")], trimmedUpTo: 4), (_, _) => Task.CompletedTask, default);
        replay.HistoryTruncated.Should().BeTrue();
    }

    [Fact]
    public async Task SubscribeAsync_LiveEventsDuringReplay_ArriveAfterItWithoutGapOrDuplicate()
    {
        var registry = new FeedRegistry<Item, string>(id => id);
        var history = new List<Item> { new(1, "x"), new(2, "x"), new(3, "x") };
        var sent = new ConcurrentQueue<long>();
        var reads = 0;

        // While the replay reads history, the publisher goes on: 3 is both in history and live (the switch-over
        // overlap), 4 and 5 are live only.
        async Task DuringRead()
        {
            if (Interlocked.Increment(ref reads) != 1)
            {
                return;
            }

            foreach (var n in new long[] { 3, 4, 5 })
            {
                foreach (var id in registry.Dispatch(Id(n), null, new Item(n, "x")))
                {
                    sent.Enqueue(-1); // must not happen: the connection is replaying
                }
            }

            await Task.Yield();
        }

        await registry.SubscribeAsync("c1", "s", null, _ => true, Id(0), History(history, pageSize: 10, onRead: DuringRead), (i, _) => { sent.Enqueue(i.N); return Task.CompletedTask; }, default);

        sent.Should().Equal(1, 2, 3, 4, 5);
        registry.Dispatch(Id(6), null, new Item(6, "x")).Should().Equal("c1");
    }

    [Fact]
    public async Task SubscribeAsync_ReplaySkipsEventsAnotherSubscriptionAlreadyCovers()
    {
        var registry = new FeedRegistry<Item, string>(id => id);
        var history = Enumerable.Range(1, 4).Select(n => new Item(n, n <= 2 ? "a" : "b")).ToList();
        var sent = new List<long>();
        Task Send(Item i, CancellationToken _) { sent.Add(i.N); return Task.CompletedTask; }

        await registry.SubscribeAsync("c1", "all", null, _ => true, Id(0), History(history), Send, default);
        await registry.SubscribeAsync("c1", "b-only", null, i => i.Kind == "b", Id(0), History(history), Send, default);

        sent.Should().Equal(1, 2, 3, 4);
    }

    [Fact]
    public async Task RemoveConnection_ForgetsItsSubscriptions()
    {
        var registry = new FeedRegistry<Item, string>(id => id);
        await registry.SubscribeAsync("c1", "p1", "p1", _ => true, null, History([]), (_, _) => Task.CompletedTask, default);
        registry.RemoveConnection("c1");
        registry.Dispatch(Id(1), "p1", new Item(1, "x")).Should().BeEmpty();
        registry.Count("c1").Should().Be(0);
    }

    [Fact]
    public async Task SubscribeAsync_RouteTopicNotLiveYet_ReturnsOnlyOnceItIs_WithAndWithoutSince()
    {
        var live = new TaskCompletionSource();
        var registry = new FeedRegistry<Item, string>(id => id, _ => new EventSubscription(live.Task, () => { }));
        var history = new List<Item> { new(1, "x") };
        var sent = new List<long>();

        var withoutSince = registry.SubscribeAsync("c1", "p1", "p1", _ => true, null, History([]), (_, _) => Task.CompletedTask, default);
        var readHistory = false;
        var withSince = registry.SubscribeAsync("c2", "p1", "p1", _ => true, Id(0), History(history, onRead: () => { readHistory = true; return Task.CompletedTask; }), (i, _) => { sent.Add(i.N); return Task.CompletedTask; }, default);
        await Task.Delay(50);

        withoutSince.IsCompleted.Should().BeFalse("an update published once Subscribe returns must arrive, so it waits for the topic");
        withSince.IsCompleted.Should().BeFalse();
        readHistory.Should().BeFalse("history is read only after the topic is live, or events in between would be lost");

        live.SetResult();
        await withoutSince;
        (await withSince).Replayed.Should().Be(1);
        sent.Should().Equal(1);
    }

    [Fact]
    public async Task RouteTopic_OpenedByTheFirstSubscriptionOfTheRoute_ClosedWhenTheLastLeaves()
    {
        var opened = new List<string>();
        var closed = new List<string>();
        var registry = new FeedRegistry<Item, string>(id => id, route =>
        {
            opened.Add(route);
            return new EventSubscription(Task.CompletedTask, () => closed.Add(route));
        });
        Task Send(Item i, CancellationToken ct) => Task.CompletedTask;

        await registry.SubscribeAsync("c1", "p1", "p1", _ => true, null, History([]), Send, default);
        await registry.SubscribeAsync("c2", "p1", "p1", _ => true, null, History([]), Send, default);
        await registry.SubscribeAsync("c1", "p1", "p1", _ => true, null, History([]), Send, default);
        await registry.SubscribeAsync("c1", "p2", "p2", _ => true, null, History([]), Send, default);
        opened.Should().Equal("p1", "p2");

        registry.Unsubscribe("c1", "p1").Should().BeTrue();
        closed.Should().BeEmpty("c2 still follows p1");
        registry.RemoveConnection("c2");
        registry.RemoveConnection("c1");
        closed.Should().Equal("p1", "p2");

        await registry.SubscribeAsync("c3", "p1", "p1", _ => true, null, History([]), Send, default);
        opened.Should().Equal("p1", "p2", "p1");
    }

    [Fact]
    public async Task SubscribeAsync_WithoutSince_OnARegistryThatDispatchedNothing_ReportsTheStreamsNewestIdAsPosition()
    {
        var registry = new FeedRegistry<Item, string>(id => id, readPosition: (_, _) => ValueTask.FromResult(Id(7)));

        var replay = await registry.SubscribeAsync("c1", "s", null, _ => true, null, History([]), (_, _) => Task.CompletedTask, default);

        replay.Position.Should().Be(Id(7), "0-0 would make a resuming client replay everything retained from before it subscribed");
    }

    [Fact]
    public async Task SubscribeAsync_ResubscribedWithOlderSince_ReplaysUpToWhereTheFirstSubscriptionStarted()
    {
        var registry = new FeedRegistry<Item, string>(id => id, readPosition: (_, _) => ValueTask.FromResult(Id(5)));
        var history = Enumerable.Range(1, 7).Select(n => new Item(n, "x")).ToList();
        var sent = new List<long>();
        await registry.SubscribeAsync("c1", "p", "p", _ => true, null, History([]), (_, _) => Task.CompletedTask, default);

        // 6 and 7 came after the first subscription was live, so it delivered them; 3 to 5 it never saw.
        var replay = await registry.SubscribeAsync("c1", "p", "p", _ => true, Id(2), History(history), (i, _) => { sent.Add(i.N); return Task.CompletedTask; }, default);

        sent.Should().Equal(3, 4, 5);
        replay.Replayed.Should().Be(3);
    }
}
