using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Observability;

/// <summary>Chooses the console formatter from <c>Logging:Format</c> and the environment.</summary>
internal sealed class ConsoleFormatSetup(IOptions<LogFormatOptions> format, IHostEnvironment environment) : IConfigureOptions<ConsoleLoggerOptions>
{
    public void Configure(ConsoleLoggerOptions options)
    {
        var chosen = format.Value.Format ?? (environment.IsDevelopment() ? LogFormatOptions.Simple : LogFormatOptions.Json);
        options.FormatterName = chosen == LogFormatOptions.Json ? ConsoleFormatterNames.Json : ConsoleFormatterNames.Simple;
    }
}
