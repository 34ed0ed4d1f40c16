using System.Text.Json;
using Hubs.Tests.Infrastructure;

namespace Hubs.Tests.Observability;

/// <summary>Paths under deploy/ and a YAML reader (PyYAML, Debian package python3-yaml) for the deploy tests.</summary>
public static class DeployFiles
{
    public static string Path(params string[] parts) => System.IO.Path.Combine([ExternalTool.RepositoryRoot(), "deploy", .. parts]);

    /// <summary>Every YAML document of a file, as JSON. A missing python3 or PyYAML fails the test with the fix.</summary>
    public static async Task<JsonElement[]> ReadYamlAsync(string file)
    {
        // Debian's python3-yaml installs for /usr/bin/python3; a python3 earlier on PATH may lack it.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : ExternalTool.Require("python3");
        var result = await ExternalTool.RunAsync(
            python,
            ["-c", "import sys, json, yaml; json.dump(list(yaml.safe_load_all(open(sys.argv[1]))), sys.stdout)", file]);
        if (result.Output.Contains("No module named 'yaml'", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("PyYAML is missing: apt-get install python3-yaml (./scripts/test.sh installs it).");
        }

        result.ExitCode.Should().Be(0, $"{file} should be valid YAML: {result.Output}");
        return JsonDocument.Parse(result.Output).RootElement.EnumerateArray().Where(d => d.ValueKind != JsonValueKind.Null).ToArray();
    }
}
