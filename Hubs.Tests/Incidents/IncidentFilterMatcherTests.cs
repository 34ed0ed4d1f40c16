using Hubs.Contracts.Incidents;
using Hubs.Server.Incidents;
using Microsoft.AspNetCore.SignalR;

namespace Hubs.Tests.Incidents;

public sealed class IncidentFilterMatcherTests
{
    private static IncidentEvent Event(string type = "incident_created", string severity = "P2", string? state = "open", string? source = "pagerduty",
        string[]? resources = null, Dictionary<string, string>? labels = null, string id = "inc-1")
        => new(type, new Incident { Id = id, Severity = severity, State = state, Source = source, AffectedResources = resources, Labels = labels }, "normal");

    [Fact]
    public void Matches_EmptyFilter_MatchesEverything()
    {
        var matcher = IncidentFilterMatcher.Create(new IncidentFilter());
        matcher.Matches(Event()).Should().BeTrue();
        matcher.Matches(Event(type: "comment", severity: "P4", state: null, source: null)).Should().BeTrue();
    }

    [Fact]
    public void Matches_EmptyLists_AreTreatedAsMissing()
    {
        var matcher = IncidentFilterMatcher.Create(new IncidentFilter { EventTypes = [], Severities = [], Labels = new Dictionary<string, string>() });
        matcher.Filter.Should().BeEquivalentTo(new IncidentFilter());
        matcher.Matches(Event()).Should().BeTrue();
    }

    [Theory]
    [InlineData("incident_created", "P1", true)]
    [InlineData("incident_updated", "P1", false)]
    [InlineData("incident_created", "P3", false)]
    public void Matches_ListFilters_AreAnded(string type, string severity, bool expected)
    {
        var matcher = IncidentFilterMatcher.Create(new IncidentFilter { EventTypes = ["incident_created"], Severities = ["P0", "P1"] });
        matcher.Matches(Event(type: type, severity: severity)).Should().Be(expected);
    }

    [Fact]
    public void Matches_AffectedResources_MatchWhenAnyResourceIsListed()
    {
        var matcher = IncidentFilterMatcher.Create(new IncidentFilter { AffectedResources = ["db-1", "db-2"] });
        matcher.Matches(Event(resources: ["web-1", "db-2"])).Should().BeTrue();
        matcher.Matches(Event(resources: ["web-1"])).Should().BeFalse();
        matcher.Matches(Event(resources: null)).Should().BeFalse();
    }

    [Fact]
    public void Matches_Labels_MustMatchAllPairs()
    {
        var matcher = IncidentFilterMatcher.Create(new IncidentFilter { Labels = new Dictionary<string, string> { ["team"] = "sre", ["env"] = "prod" } });
        matcher.Matches(Event(labels: new() { ["team"] = "sre", ["env"] = "prod", ["extra"] = "x" })).Should().BeTrue();
        matcher.Matches(Event(labels: new() { ["team"] = "sre", ["env"] = "staging" })).Should().BeFalse();
        matcher.Matches(Event(labels: new() { ["team"] = "sre" })).Should().BeFalse();
        matcher.Matches(Event(labels: null)).Should().BeFalse();
    }

    [Fact]
    public void Matches_StatesSourcesAndIds_RequireAPresentListedValue()
    {
        var matcher = IncidentFilterMatcher.Create(new IncidentFilter { States = ["open"], Sources = ["grafana"], IncidentIds = ["inc-1"] });
        matcher.Matches(Event(source: "grafana")).Should().BeTrue();
        matcher.Matches(Event(source: "grafana", state: null)).Should().BeFalse();
        matcher.Matches(Event(source: "pagerduty")).Should().BeFalse();
        matcher.Matches(Event(source: "grafana", id: "inc-2")).Should().BeFalse();
    }

    [Fact]
    public void Create_DuplicateValues_AreRemovedInOrder()
    {
        var matcher = IncidentFilterMatcher.Create(new IncidentFilter { Severities = ["P1", "P0", "P1"] });
        matcher.Filter.Severities.Should().Equal("P1", "P0");
    }

    [Theory]
    [InlineData("severities")]
    [InlineData("event_types")]
    public void Create_UnknownEnumeratedValue_IsInvalidMessage(string field)
    {
        var filter = field == "severities" ? new IncidentFilter { Severities = ["urgent"] } : new IncidentFilter { EventTypes = ["exploded"] };
        var act = () => IncidentFilterMatcher.Create(filter);
        act.Should().Throw<HubException>().WithMessage($"INVALID_MESSAGE: {field} contains unknown value*");
    }

    [Theory]
    [InlineData("escalated", "P4", "critical")]
    [InlineData("incident_created", "P0", "high")]
    [InlineData("alert_received", "P1", "high")]
    [InlineData("incident_created", "P2", "normal")]
    [InlineData("incident_resolved", "P0", "normal")]
    public void Priority_FollowsTheProtocolRule(string type, string severity, string expected)
        => IncidentPriority.For(type, severity).Should().Be(expected);
}
