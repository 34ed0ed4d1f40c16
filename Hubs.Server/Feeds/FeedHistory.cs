using Hubs.Server.Scaleout;
using Hubs.Server.Scaleout.Redis;

namespace Hubs.Server.Feeds;

/// <summary>Pages through an <see cref="IEventLog"/> stream for <see cref="FeedRegistry{TEvent, TRecipient}.SubscribeAsync"/>.</summary>
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

    /// <summary>
    /// Reads the newest id of a route's stream for <see cref="FeedRegistry{TEvent, TRecipient}"/>. With the backplane down it
    /// answers <c>0-0</c>, so the registry falls back to the last id it dispatched instead of failing the subscribe
    /// (live delivery is degraded anyway, and a resume with <c>since</c> still closes the gap).
    /// </summary>
    public static Func<string?, CancellationToken, ValueTask<StreamId>> NewestId(IEventLog log, Func<string?, string> streamOf)
        => async (route, cancellationToken) =>
        {
            try
            {
                return StreamId.TryParse(await log.ReadLastIdAsync(streamOf(route), cancellationToken), out var id) ? id : StreamId.Zero;
            }
            catch (BackplaneUnavailableException)
            {
                return StreamId.Zero;
            }
        };
}
