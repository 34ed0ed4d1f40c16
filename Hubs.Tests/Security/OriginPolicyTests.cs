using Hubs.Server.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Hubs.Tests.Security;

public sealed class OriginPolicyTests
{
    private static OriginPolicy Policy(string environment, params string[] origins)
    {
        var options = new SecurityOptions { EnvironmentName = environment };
        foreach (var origin in origins)
        {
            options.AllowedOrigins.Add(origin);
        }

        return new OriginPolicy(Options.Create(options));
    }

    private static HttpRequest Request(string? origin, string host = "hubs.example.com")
    {
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString(host);
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        return context.Request;
    }

    [Fact]
    public void IsAllowed_NoOriginHeader_Allowed() =>
        Policy("Production", "https://app.example.com").IsAllowed(Request(null)).Should().BeTrue();

    [Theory]
    [InlineData("https://app.example.com")]
    [InlineData("https://APP.example.com")]
    [InlineData("https://app.example.com:443")]
    public void IsAllowed_ListedOrigin_Allowed(string origin) =>
        Policy("Production", "https://app.example.com/").IsAllowed(Request(origin)).Should().BeTrue();

    [Theory]
    [InlineData("https://evil.example.com")]
    [InlineData("http://app.example.com")]
    [InlineData("https://app.example.com:8443")]
    [InlineData("null")]
    [InlineData("not a url")]
    public void IsAllowed_UnlistedOrigin_Refused(string origin) =>
        Policy("Production", "https://app.example.com").IsAllowed(Request(origin)).Should().BeFalse();

    [Fact]
    public void IsAllowed_EmptyListInProduction_OnlySameOrigin()
    {
        var policy = Policy("Production");
        policy.IsAllowed(Request("https://hubs.example.com")).Should().BeTrue();
        policy.IsAllowed(Request("http://127.0.0.1:5000", host: "127.0.0.1:5000")).Should().BeTrue();
        policy.IsAllowed(Request("https://app.example.com")).Should().BeFalse();
    }

    [Fact]
    public void IsAllowed_EmptyListInDevelopment_AnyOrigin() =>
        Policy("Development").IsAllowed(Request("https://anything.example")).Should().BeTrue();

    [Fact]
    public void IsAllowed_StarInList_AnyOrigin() =>
        Policy("Production", "*").IsAllowed(Request("https://anything.example")).Should().BeTrue();

    [Theory]
    [InlineData("https://App.Example.com/", "https://app.example.com")]
    [InlineData("http://localhost:3000", "http://localhost:3000")]
    [InlineData("https://app.example.com:443", "https://app.example.com")]
    [InlineData("https://app.example.com/path", null)]
    [InlineData("ftp://app.example.com", null)]
    [InlineData("app.example.com", null)]
    public void Normalize_Origins_SchemeHostPortOnly(string origin, string? expected) =>
        OriginPolicy.Normalize(origin).Should().Be(expected);
}
