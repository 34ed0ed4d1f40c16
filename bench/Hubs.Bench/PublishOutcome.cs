namespace Hubs.Bench;

/// <summary>What a publishing run achieved: publishes accepted per group, failures, the rate actually reached.</summary>
internal sealed record PublishOutcome(long Sent, long[] AcceptedPerGroup, long Failed, double AchievedRate)
{
    /// <summary>Deliveries owed: every accepted publish to every subscriber of its group.</summary>
    public long Expected(int subscribers, int groups)
    {
        long expected = 0;
        for (var g = 0; g < AcceptedPerGroup.Length; g++)
        {
            var inGroup = (subscribers / groups) + (g < subscribers % groups ? 1 : 0);
            expected += AcceptedPerGroup[g] * inGroup;
        }

        return expected;
    }
}
