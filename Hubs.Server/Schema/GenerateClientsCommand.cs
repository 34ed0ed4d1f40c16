namespace Hubs.Server.Schema;

/// <summary>
/// <c>generate-clients [dir...]</c>: writes the generated JavaScript clients and their TypeScript declarations
/// (<see cref="TypeScriptClientGenerator"/>) into each directory, and removes generated files the contracts no longer
/// produce. Relative directories are taken from the repository root (the folder above with <c>Hubs.sln</c>), because
/// <c>dotnet run</c> starts in the project folder. Default: <c>clients/typescript</c> and <c>Hubs.Server/wwwroot/js/hubs</c>
/// (the dashboard's copy).
/// </summary>
internal static class GenerateClientsCommand
{
    public const string Verb = "generate-clients";

    public static IReadOnlyList<string> DefaultDirectories { get; } = ["clients/typescript", "Hubs.Server/wwwroot/js/hubs"];

    /// <summary>Runs the verb when <paramref name="args"/> start with it; false (and the app starts as usual) otherwise.</summary>
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length == 0 || args[0] != Verb)
        {
            return false;
        }

        var directories = args.Length > 1 ? args[1..] : [.. DefaultDirectories];
        try
        {
            var files = new TypeScriptClientGenerator(ContractCatalog.Load()).Generate();
            var root = RepositoryRoot(Environment.CurrentDirectory);
            foreach (var directory in directories.Select(d => Path.GetFullPath(d, root)))
            {
                var removed = Write(directory, files);
                Console.WriteLine($"{Verb}: wrote {files.Count} files to {directory}" + (removed > 0 ? $", removed {removed} stale" : string.Empty));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Console.Error.WriteLine($"{Verb}: {ex.Message}");
            exitCode = 1;
        }

        return true;
    }

    private static string RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hubs.sln")))
            {
                return dir.FullName;
            }
        }

        return start;
    }

    /// <summary>Writes <paramref name="files"/> into <paramref name="directory"/>; returns how many stale generated files it deleted.</summary>
    public static int Write(string directory, IReadOnlyList<KeyValuePair<string, string>> files)
    {
        Directory.CreateDirectory(directory);
        var removed = 0;
        foreach (var existing in Directory.EnumerateFiles(directory).Where(f => f.EndsWith(".js", StringComparison.Ordinal) || f.EndsWith(".ts", StringComparison.Ordinal)))
        {
            if (files.All(f => f.Key != Path.GetFileName(existing)) && File.ReadLines(existing).Take(1).Any(l => l.Contains(TypeScriptClientGenerator.Marker, StringComparison.Ordinal)))
            {
                File.Delete(existing);
                removed++;
            }
        }

        foreach (var (name, content) in files)
        {
            File.WriteAllText(Path.Combine(directory, name), content);
        }

        return removed;
    }
}
