using Hubs.Client;

namespace Hubs.Tests.Client;

public sealed class HubInvocationExceptionTests
{
    [Theory]
    [InlineData("An unexpected error occurred invoking 'Unsubscribe' on the server. HubException: NOT_FOUND: no subscription 'x'", "NOT_FOUND", "no subscription 'x'")]
    [InlineData("An error occurred on the server while streaming results. HubException: BUSY: try later", "BUSY", "try later")]
    [InlineData("RATE_LIMITED: 60 messages per minute", "RATE_LIMITED", "60 messages per minute")]
    [InlineData("An unexpected error occurred invoking 'Add' on the server.", null, "An unexpected error occurred invoking 'Add' on the server.")]
    [InlineData("Unknown hub method 'Nope'", null, "Unknown hub method 'Nope'")]
    public void Constructor_ServerError_SplitsCodeAndMessage(string error, string? code, string message)
    {
        var exception = new HubInvocationException(error);

        exception.Code.Should().Be(code);
        exception.Message.Should().Be(message);
        exception.Error.Should().Be(error);
    }
}
