using Hubs.Server.Schema;
using Hubs.Tests.Infrastructure;

namespace Hubs.Tests.Web;

/// <summary>
/// The checked-in JavaScript clients and TypeScript declarations are exactly what the contracts generate, so they
/// cannot drift: change a contract without running scripts/generate-clients.sh and these fail.
/// </summary>
public sealed class GeneratedClientsTests
{
    private static readonly string[] CheckedInDirectories = ["clients/typescript", "Hubs.Server/wwwroot/js/hubs"];

    public static TheoryData<string> Directories() => new(CheckedInDirectories);

    [Theory]
    [MemberData(nameof(Directories))]
    public void Generate_FromContracts_MatchesCheckedInFiles(string directory)
    {
        var folder = Path.Combine(ExternalTool.RepositoryRoot(), directory);
        var generated = new TypeScriptClientGenerator(ContractCatalog.Load()).Generate();

        foreach (var (name, content) in generated)
        {
            var path = Path.Combine(folder, name);
            File.Exists(path).Should().BeTrue($"{directory}/{name} is generated from the contracts; run scripts/generate-clients.sh");
            var difference = FirstDifference(File.ReadAllText(path), content);
            difference.Should().BeNull($"{directory}/{name} must equal what the contracts generate; run scripts/generate-clients.sh");
        }

        var stale = Directory.EnumerateFiles(folder)
            .Where(f => File.ReadLines(f).Take(1).Any(l => l.Contains(TypeScriptClientGenerator.Marker, StringComparison.Ordinal)))
            .Select(Path.GetFileName)
            .Except(generated.Select(g => g.Key));
        stale.Should().BeEmpty("generated files the contracts no longer produce must be deleted (the generator does it)");
    }

    // "line N: checked in `...`, generated `...`", or null when equal.
    private static string? FirstDifference(string checkedIn, string generated)
    {
        var a = checkedIn.Split('\n');
        var b = generated.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "<end of file>";
            var right = i < b.Length ? b[i] : "<end of file>";
            if (left != right)
            {
                return $"line {i + 1}: checked in `{left}`, generated `{right}`";
            }
        }

        return null;
    }

    [Fact]
    public void TryRun_GenerateClientsVerb_WritesCheckedInFilesAndRemovesStaleOnes()
    {
        var temp = Directory.CreateTempSubdirectory("hubs-clients-");
        try
        {
            var stale = Path.Combine(temp.FullName, "removed-hub.js");
            File.WriteAllText(stale, $"// {TypeScriptClientGenerator.Marker}\nexport {{}};\n");
            var handWritten = Path.Combine(temp.FullName, "example.ts");
            File.WriteAllText(handWritten, "export {};\n");

            GenerateClientsCommand.TryRun(["generate-clients", temp.FullName], out var exitCode).Should().BeTrue();

            exitCode.Should().Be(0);
            File.Exists(stale).Should().BeFalse("a generated file for a contract that no longer exists is removed");
            File.Exists(handWritten).Should().BeTrue("files without the generated marker are never touched");
            var checkedIn = Path.Combine(ExternalTool.RepositoryRoot(), "clients", "typescript");
            foreach (var file in Directory.EnumerateFiles(temp.FullName).Where(f => f != handWritten))
            {
                File.ReadAllBytes(file).Should().Equal(File.ReadAllBytes(Path.Combine(checkedIn, Path.GetFileName(file))), Path.GetFileName(file));
            }
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    [Fact]
    public void TryRun_ServiceArguments_DoesNotRunAVerb()
    {
        GenerateClientsCommand.TryRun(["--urls", "http://127.0.0.1:0"], out var exitCode).Should().BeFalse();
        GenerateClientsCommand.TryRun([], out _).Should().BeFalse();
        exitCode.Should().Be(0);
    }

    [Fact]
    public void Generate_EveryHubMethodAndCallback_HasATypedHelperMember()
    {
        var files = new TypeScriptClientGenerator(ContractCatalog.Load()).Generate().ToDictionary(f => f.Key, f => f.Value);
        foreach (var hub in ContractSurface.Hubs())
        {
            var module = hub.Server.Namespace!.Split('.')[^1].ToLowerInvariant();
            var declarations = files[module + ".d.ts"];
            var implementation = files[module + ".js"];
            declarations.Should().Contain($"export interface I{hub.Name}Hub {{").And.Contain($"export interface I{hub.Name}Client {{")
                .And.Contain($"export declare class {hub.Name}HubClient {{");
            implementation.Should().Contain($"export class {hub.Name}HubClient {{");
            foreach (var method in hub.ServerMethods)
            {
                var call = ContractSurface.IsStream(method) ? "stream" : "invoke";
                implementation.Should().Contain($"this.connection.{call}('{method.Name}'", $"{hub.Name}.{method.Name} is a server method");
                declarations.Should().Contain($"  {method.Name}(");
            }

            foreach (var callback in hub.Callbacks)
            {
                implementation.Should().Contain($"this.connection.on('{callback.Name}', callback);");
                declarations.Should().Contain($"  on{callback.Name}(handler: (");
            }
        }
    }
}
