using System.Runtime.CompilerServices;
using Hubs.Contracts;
using Hubs.Contracts.Generation;
using Microsoft.AspNetCore.SignalR;

namespace Hubs.Server.Legacy;

/// <summary>
/// One generation at a time per <c>/ws/stream-generation</c> socket (LEGACY.md section 1): a second request while
/// one runs is refused with <c>BUSY</c>, which the protocol sends as its error. The slot frees as the final
/// <c>complete</c> or <c>error</c> item leaves, so a client may send its next request as soon as it reads it.
/// SignalR clients of <c>/hubs/generation</c> are not affected (their streams have their own ids).
/// </summary>
internal sealed class LegacyGenerationGate : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var legacy = invocationContext.Context.Features.Get<LegacyConnectionFeature>();
        if (legacy is null || invocationContext.HubMethodName != nameof(IGenerationHub.Generate))
        {
            return await next(invocationContext);
        }

        var owner = new object();
        if (!legacy.TryStartStream(owner))
        {
            throw new HubException(HubErrorCodes.Format(HubErrorCodes.Busy, "A generation is already running on this connection; wait for complete or error"));
        }

        try
        {
            var result = await next(invocationContext);
            if (result is IAsyncEnumerable<GenerationUpdate> updates)
            {
                return Release(updates, legacy, owner, default);
            }

            legacy.EndStream(owner);
            return result;
        }
        catch
        {
            legacy.EndStream(owner);
            throw;
        }
    }

    private static async IAsyncEnumerable<GenerationUpdate> Release(IAsyncEnumerable<GenerationUpdate> updates, LegacyConnectionFeature legacy, object owner, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in updates.WithCancellation(cancellationToken))
            {
                if (update.Type is GenerationUpdateType.Complete or GenerationUpdateType.Error)
                {
                    legacy.EndStream(owner);
                }

                yield return update;
            }
        }
        finally
        {
            legacy.EndStream(owner);
        }
    }
}
