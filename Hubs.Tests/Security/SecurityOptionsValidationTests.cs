using Hubs.Server.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Hubs.Tests.Security;

public sealed class SecurityOptionsValidationTests
{
    internal sealed class TestEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Hubs.Server";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private static IEnumerable<string> Failures(JwtOptions options, string environment) =>
        new JwtOptionsValidator(new TestEnvironment(environment)).Validate(null, options).Failures ?? [];

    [Fact]
    public void Jwt_NoKeyNoAuthorityInProduction_FailsNamingTheKeys() =>
        Failures(new JwtOptions(), "Production").Should().ContainSingle()
            .Which.Should().StartWith("Jwt:SigningKey or Jwt:Authority must be set in Production");

    [Fact]
    public void Jwt_NoKeyNoAuthorityInDevelopment_Passes() =>
        Failures(new JwtOptions(), "Development").Should().BeEmpty();

    [Fact]
    public void Jwt_ShortKey_FailsNamingTheKey() =>
        Failures(new JwtOptions { SigningKey = "short" }, "Production").Should().ContainSingle()
            .Which.Should().Contain("Jwt:SigningKey must be at least 32 bytes");

    [Fact]
    public void Jwt_DevelopmentKeyInProduction_Fails() =>
        Failures(new JwtOptions { SigningKey = JwtSigning.DevelopmentSigningKey }, "Production").Should().ContainSingle()
            .Which.Should().Contain("development key");

    [Fact]
    public void Jwt_HttpAuthorityWithoutOptOut_Fails() =>
        Failures(new JwtOptions { Authority = "http://idp.local" }, "Production").Should().ContainSingle()
            .Which.Should().Contain("Jwt:RequireHttpsMetadata");

    [Fact]
    public void Jwt_HttpsAuthority_Passes() =>
        Failures(new JwtOptions { Authority = "https://idp.example.com/realms/hubs" }, "Production").Should().BeEmpty();

    [Fact]
    public void GetSigningKey_DevelopmentWithoutKey_UsesDevelopmentKeyOnlyThere()
    {
        JwtSigning.GetKeySource(new JwtOptions(), new TestEnvironment("Development")).Should().Be(JwtSigning.KeySource.Development);
        JwtSigning.GetKeySource(new JwtOptions(), new TestEnvironment("Staging")).Should().Be(JwtSigning.KeySource.None);
        JwtSigning.GetKeySource(new JwtOptions { Authority = "https://idp" }, new TestEnvironment("Development")).Should().Be(JwtSigning.KeySource.None);
        JwtSigning.GetKeySource(new JwtOptions { SigningKey = TestTokens.SigningKey }, new TestEnvironment("Production")).Should().Be(JwtSigning.KeySource.Configured);
    }

    [Theory]
    [InlineData(nameof(LimitsOptions.MaxMessageBytes), 0)]
    [InlineData(nameof(LimitsOptions.MessagesPerMinutePerUser), -1)]
    [InlineData(nameof(LimitsOptions.MaxConnectionsPerUser), -5)]
    [InlineData(nameof(LimitsOptions.MaxSubscriptionsPerConnection), 0)]
    [InlineData(nameof(LimitsOptions.PublishMaxBodyBytes), 10)]
    [InlineData(nameof(LimitsOptions.PublishRequestsPerMinute), -1)]
    [InlineData(nameof(LimitsOptions.HandshakeTimeoutSeconds), 0)]
    [InlineData(nameof(LimitsOptions.RequestHeadersTimeoutSeconds), 0)]
    public void Limits_OutOfRange_FailsNamingTheKey(string key, int value)
    {
        var options = new LimitsOptions();
        typeof(LimitsOptions).GetProperty(key)!.SetValue(options, Convert.ChangeType(value, typeof(LimitsOptions).GetProperty(key)!.PropertyType, null));

        var result = new LimitsOptionsValidator().Validate(null, options);

        result.Failures.Should().ContainSingle().Which.Should().StartWith($"Limits:{key} must be between");
    }

    [Fact]
    public void Limits_Defaults_AreValid() => new LimitsOptionsValidator().Validate(null, new LimitsOptions()).Succeeded.Should().BeTrue();

    private static SecurityOptions Configure(string environment, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var options = new SecurityOptions();
        new ConfigureSecurityOptions(configuration, new TestEnvironment(environment)).Configure(options);
        return options;
    }

    [Fact]
    public void Origins_CorsOriginsAndSecuritySection_AreMerged()
    {
        var options = Configure("Production",
            ("CORS_ORIGINS", "http://localhost:3000, https://a.example.com"),
            ("Security:AllowedOrigins:0", "https://b.example.com"),
            ("Security:AllowedOrigins:1", "https://a.example.com"));

        options.AllowedOrigins.Should().Equal("http://localhost:3000", "https://a.example.com", "https://b.example.com");
    }

    [Fact]
    public void Origins_CommaSeparatedSecurityKey_IsSplit() =>
        Configure("Production", ("Security:AllowedOrigins", "https://a.example.com,https://b.example.com"))
            .AllowedOrigins.Should().Equal("https://a.example.com", "https://b.example.com");

    [Fact]
    public void Origins_InvalidEntry_FailsNamingTheKeys()
    {
        var options = Configure("Production", ("CORS_ORIGINS", "https://a.example.com/app"));
        new SecurityOptionsValidator().Validate(null, options).Failures.Should().ContainSingle()
            .Which.Should().Contain("CORS_ORIGINS").And.Contain("https://a.example.com/app");
    }

    [Fact]
    public void AllowAnonymous_DefaultsToDevelopmentOnly()
    {
        Configure("Development").AllowAnonymous.Should().BeTrue();
        Configure("Production").AllowAnonymous.Should().BeFalse();
        Configure("Development", ("Security:AllowAnonymous", "false")).AllowAnonymous.Should().BeFalse();
    }

    [Fact]
    public void AllowAnonymous_TrueInProduction_FailsNamingTheKey()
    {
        var options = Configure("Production", ("Security:AllowAnonymous", "true"));
        new SecurityOptionsValidator().Validate(null, options).Failures.Should().ContainSingle()
            .Which.Should().StartWith("Security:AllowAnonymous can only be true in Development");
    }
}
