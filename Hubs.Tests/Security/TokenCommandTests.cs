using Hubs.Server.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Hubs.Tests.Security;

public sealed class TokenCommandTests
{
    private static (bool Ran, int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var ran = TokenCommand.TryRun(args, output, error, out var exitCode);
        return (ran, exitCode, output.ToString(), error.ToString());
    }

    private static string LastLine(string text) => text.TrimEnd().Split('\n').Last().Trim();

    private static async Task<TokenValidationResult> ValidateAsync(string token, string key, string issuer = "hubs", string audience = "hubs") =>
        await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKey = JwtSigning.CreateKey(key),
        });

    [Fact]
    public void TryRun_NotATokenCommand_LeavesTheServerToStart()
    {
        Run("--urls", "http://127.0.0.1:0").Ran.Should().BeFalse();
        Run().Ran.Should().BeFalse();
    }

    [Fact]
    public async Task TryRun_ProductionWithKey_PrintsAValidTokenAsLastLine()
    {
        var (ran, exitCode, output, _) = Run("token", "--user", "alice", "--projects", "p1,p2", "--publisher", "--roles", "incidents",
            "--expires", "5", "--environment", "Production", $"--Jwt:SigningKey={TestTokens.SigningKey}");

        ran.Should().BeTrue();
        exitCode.Should().Be(0);
        var result = await ValidateAsync(LastLine(output), TestTokens.SigningKey);
        result.IsValid.Should().BeTrue(result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        token.Subject.Should().Be("alice");
        token.GetPayloadValue<string[]>("projects").Should().Equal("p1", "p2");
        token.GetPayloadValue<string[]>("role").Should().Equal("incidents");
        token.GetPayloadValue<string>("scope").Should().Be("hubs.publish");
        (token.ValidTo - token.ValidFrom).Should().Be(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task TryRun_DevelopmentWithoutKey_SignsWithTheDevelopmentKey()
    {
        var (_, exitCode, output, error) = Run("token", "--user=bob", "--environment", "Development");

        exitCode.Should().Be(0);
        error.Should().Contain("development key");
        (await ValidateAsync(LastLine(output), JwtSigning.DevelopmentSigningKey)).IsValid.Should().BeTrue();
    }

    [Fact]
    public async Task TryRun_ConfiguredIssuerAndAudience_AreUsed()
    {
        var (_, exitCode, output, _) = Run("token", "--user", "carol", "--environment", "Production",
            $"--Jwt:SigningKey={TestTokens.SigningKey}", "--Jwt:Issuer=https://issuer.example", "--Jwt:Audience=hubs-api");

        exitCode.Should().Be(0);
        (await ValidateAsync(LastLine(output), TestTokens.SigningKey, "https://issuer.example", "hubs-api")).IsValid.Should().BeTrue();
    }

    [Fact]
    public void TryRun_ProductionWithoutKey_FailsNamingTheKey()
    {
        var (_, exitCode, output, error) = Run("token", "--user", "alice", "--environment", "Production");

        exitCode.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().Contain("Jwt:SigningKey or Jwt:Authority must be set in Production");
    }

    [Fact]
    public void TryRun_AuthorityOnly_ExplainsTokensComeFromTheIdentityProvider()
    {
        var (_, exitCode, _, error) = Run("token", "--user", "alice", "--environment", "Production", "--Jwt:Authority=https://idp.example.com");

        exitCode.Should().Be(1);
        error.Should().Contain("identity provider");
    }

    [Theory]
    [InlineData("--projects", "p1")]
    [InlineData("--user")]
    [InlineData("--user", "alice", "--expires", "0")]
    [InlineData("--user", "alice", "--expires", "soon")]
    public void TryRun_BadArguments_ExitCode2WithUsage(params string[] args)
    {
        var (_, exitCode, output, error) = Run(["token", .. args, "--environment", "Development"]);

        exitCode.Should().Be(2);
        output.Should().BeEmpty();
        error.Should().NotBeEmpty();
    }
}
