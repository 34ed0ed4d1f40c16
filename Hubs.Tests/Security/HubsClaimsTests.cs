using System.Security.Claims;
using Hubs.Server.Security;

namespace Hubs.Tests.Security;

public sealed class HubsClaimsTests
{
    internal static ClaimsPrincipal User(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), authenticationType: "test", UserIdentity.SubjectClaim, "role"));

    [Theory]
    [InlineData("p1,p2", "p2", true)]
    [InlineData(" p1 , p2 ", "p2", true)]
    [InlineData("""["p1","p2"]""", "p2", true)]
    [InlineData("p1", "p2", false)]
    [InlineData("p1,p2", "p", false)]
    [InlineData("P2", "p2", false)]
    [InlineData("*", "anything", true)]
    [InlineData("""["*"]""", "anything", true)]
    public void CanAccessProject_ProjectsClaimShapes_GrantExactlyTheListedProjects(string claim, string project, bool expected) =>
        HubsClaims.CanAccessProject(User(("projects", claim)), project).Should().Be(expected);

    [Fact]
    public void CanAccessProject_RepeatedClaims_GrantEachProject()
    {
        var user = User(("projects", "p1"), ("projects", "p2"));
        HubsClaims.CanAccessProject(user, "p1").Should().BeTrue();
        HubsClaims.CanAccessProject(user, "p2").Should().BeTrue();
        HubsClaims.CanAccessProject(user, "p3").Should().BeFalse();
    }

    [Fact]
    public void CanAccessProject_NoProjectsClaim_GrantsNothing() =>
        HubsClaims.CanAccessProject(User(("sub", "alice")), "p1").Should().BeFalse();

    [Fact]
    public void CanAccessProject_Admin_GrantsEveryProject() =>
        HubsClaims.CanAccessProject(User(("role", "admin")), "p9").Should().BeTrue();

    [Theory]
    [InlineData("scope", "hubs.publish", true)]
    [InlineData("scope", "openid hubs.publish profile", true)]
    [InlineData("scp", "hubs.publish", true)]
    [InlineData("role", "publisher", true)]
    [InlineData("roles", "Publisher", true)]
    [InlineData(ClaimTypes.Role, "publisher", true)]
    [InlineData("role", "admin", true)]
    [InlineData("scope", "hubs.admin", true)]
    [InlineData("scope", "hubs.publisher", false)]
    [InlineData("scope", "hubs.incidents", false)]
    [InlineData("role", "incidents", false)]
    public void IsPublisher_ScopeOrRole_DecidesPublishing(string type, string value, bool expected) =>
        HubsClaims.IsPublisher(User((type, value))).Should().Be(expected);

    [Theory]
    [InlineData("scope", "hubs.incidents", true)]
    [InlineData("role", "incidents", true)]
    [InlineData("roles", """["viewer","incidents"]""", true)]
    [InlineData("role", "admin", true)]
    [InlineData("scope", "hubs.publish", false)]
    [InlineData("role", "publisher", false)]
    public void CanReadIncidents_ScopeOrRole_DecidesIncidentSubscriptions(string type, string value, bool expected) =>
        HubsClaims.CanReadIncidents(User((type, value))).Should().Be(expected);

    [Fact]
    public void GetUserId_SubFirstThenNameIdentifierThenUserId()
    {
        UserIdentity.GetUserId(User(("user_id", "c"), (ClaimTypes.NameIdentifier, "b"), ("sub", "a"))).Should().Be("a");
        UserIdentity.GetUserId(User(("user_id", "c"), (ClaimTypes.NameIdentifier, "b"))).Should().Be("b");
        UserIdentity.GetUserId(User(("user_id", "c"))).Should().Be("c");
        UserIdentity.GetUserId(User(("name", "alice"))).Should().BeNull();
    }

    [Fact]
    public void GetUserId_UnauthenticatedPrincipal_IsNull() =>
        UserIdentity.GetUserId(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "alice")]))).Should().BeNull();
}
