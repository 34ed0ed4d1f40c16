using Microsoft.AspNetCore.Authorization;

namespace Hubs.Server.Security;

/// <summary>One of the <see cref="HubsPolicies"/> rules, decided by <see cref="HubsAccessHandler"/>.</summary>
internal sealed class HubsAccessRequirement(HubsAccessRequirement.Kind access) : IAuthorizationRequirement
{
    public enum Kind
    {
        Connect = 0,
        Publisher = 1,
        Incidents = 2,
    }

    public Kind Access { get; } = access;
}
