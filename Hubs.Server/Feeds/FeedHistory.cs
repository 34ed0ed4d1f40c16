using Hubs.Server.Scaleout;

namespace Hubs.Server.Feeds;

/// <summary>Pages through an <see cref="IEventLog"/> stream for <see cref="FeedRegistry{TEvent}.SubscribeAsync"/>.</summary>
internal static class FeedHistory
{
    public static Func<StreamId, CancellationToken, ValueTask<(IReadOnlyList<(StreamId Id, TEvent Item)> Page, bool Truncated)>> Reader<TEvent>(
        IEventLog log, string stream, int pageSize, Func<LoggedEvent, TEvent> decode)
        => async (after, cancellationToken) =>
        {
            var page = await log.ReadAfterAsync(stream, after.ToString(), pageSize, cancellationToken);
            var items = new List<(StreamId, TEvent)>(page.Events.Count);
            foreach (var entry in page.Events)
            {
                if (StreamId.TryParse(entry.Id, out var id))
                {
                    items.Add((id, decode(entry)));
                }
            }

            return (items, page.Truncated);
        };
}
