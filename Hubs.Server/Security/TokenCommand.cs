using System.Globalization;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Security;

/// <summary>
/// <c>Hubs.Server token --user alice [--projects p1,p2|*] [--publisher] [--incidents] [--admin] [--roles r1,r2]
/// [--scope "s1 s2"] [--name "Alice"] [--expires minutes]</c>: mints a token signed with the configured key (or, in
/// Development without one, the development key) and prints it as the last line of stdout; notes go to stderr.
/// Configuration is read exactly as the server reads it (appsettings, environment, the remaining command-line arguments
/// such as <c>--environment Production</c> or <c>--Jwt:SigningKey=...</c>).
/// </summary>
internal static class TokenCommand
{
    public const string CommandName = "token";
    public const int DefaultLifetimeMinutes = 60;

    private const int ExitOk = 0;
    private const int ExitConfiguration = 1;
    private const int ExitUsage = 2;

    private static readonly HashSet<string> ValueOptions = new(StringComparer.OrdinalIgnoreCase)
    {
        "--user", "--projects", "--roles", "--scope", "--name", "--expires",
    };

    private static readonly HashSet<string> Flags = new(StringComparer.OrdinalIgnoreCase)
    {
        "--publisher", "--incidents", "--admin", "--help", "-h",
    };

    /// <summary>Runs the command when <paramref name="args"/> start with <c>token</c>; otherwise returns false and the server starts.</summary>
    public static bool TryRun(string[] args, out int exitCode) => TryRun(args, Console.Out, Console.Error, out exitCode);

    public static bool TryRun(string[] args, TextWriter output, TextWriter error, out int exitCode)
    {
        exitCode = ExitOk;
        if (args.Length == 0 || !string.Equals(args[0], CommandName, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        exitCode = Run(args[1..], output, error);
        return true;
    }

    private static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (!TryParse(args, out var values, out var flags, out var configArgs, out var usageError))
        {
            error.WriteLine(usageError);
            error.WriteLine(Usage);
            return ExitUsage;
        }

        if (flags.Contains("--help") || flags.Contains("-h"))
        {
            output.WriteLine(Usage);
            return ExitOk;
        }

        if (!values.TryGetValue("--user", out var user) || string.IsNullOrWhiteSpace(user))
        {
            error.WriteLine("--user is required.");
            error.WriteLine(Usage);
            return ExitUsage;
        }

        var minutes = DefaultLifetimeMinutes;
        if (values.TryGetValue("--expires", out var expires)
            && (!int.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out minutes) || minutes < 1 || minutes > 525_600))
        {
            error.WriteLine($"--expires must be a whole number of minutes between 1 and 525600; got '{expires}'.");
            return ExitUsage;
        }

        // The same configuration sources, in the same order, as the server (HubsApplication uses CreateBuilder too).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = configArgs });
        var jwt = new JwtOptions();
        builder.Configuration.GetSection(JwtOptions.SectionName).Bind(jwt);
        var validation = new JwtOptionsValidator(builder.Environment).Validate(Options.DefaultName, jwt);
        if (validation.Failed)
        {
            foreach (var failure in validation.Failures)
            {
                error.WriteLine(failure);
            }

            return ExitConfiguration;
        }

        var key = JwtSigning.GetSigningKey(jwt, builder.Environment);
        if (key is null)
        {
            error.WriteLine("Jwt:Authority is set and Jwt:SigningKey is not: tokens come from your identity provider. "
                + "This command can only sign with Jwt:SigningKey (or the development key in Development).");
            return ExitConfiguration;
        }

        var scopes = List(values, "--scope", ' ', ',');
        var roles = List(values, "--roles", ',');
        AddIf(flags.Contains("--publisher"), scopes, HubsClaims.PublishScope);
        AddIf(flags.Contains("--incidents"), scopes, HubsClaims.IncidentsScope);
        AddIf(flags.Contains("--admin"), roles, HubsClaims.AdminRole);

        var request = new TokenRequest(user.Trim())
        {
            Projects = List(values, "--projects", ','),
            Roles = roles,
            Scopes = scopes,
            Name = values.GetValueOrDefault("--name"),
            Lifetime = TimeSpan.FromMinutes(minutes),
        };
        var now = DateTimeOffset.UtcNow;
        var token = TokenIssuer.Create(request, key, jwt.EffectiveIssuer, jwt.EffectiveAudience, now);

        var keyName = JwtSigning.GetKeySource(jwt, builder.Environment) == JwtSigning.KeySource.Development
            ? "the development key (valid only on a Development server without Jwt:SigningKey)"
            : "Jwt:SigningKey";
        error.WriteLine($"Token for user '{request.UserId}' ({builder.Environment.EnvironmentName} configuration)");
        error.WriteLine($"  projects: {Show(request.Projects)}; roles: {Show(request.Roles)}; scope: {Show(request.Scopes)}");
        error.WriteLine($"  issuer: {jwt.EffectiveIssuer}; audience: {jwt.EffectiveAudience}; signed with {keyName}");
        error.WriteLine($"  expires: {(now + request.Lifetime).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} (in {minutes} min)");
        error.WriteLine("  use as 'Authorization: Bearer <token>', '?access_token=<token>' (SignalR) or '?token=<token>' (/api/ws/{user_id})");
        error.Flush();
        output.WriteLine(token);
        output.Flush();
        return ExitOk;
    }

    private static bool TryParse(
        string[] args,
        out Dictionary<string, string> values,
        out HashSet<string> flags,
        out string[] configArgs,
        out string? usageError)
    {
        values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        flags = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var rest = new List<string>();
        usageError = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? arg[..equals] : arg;
            if (ValueOptions.Contains(name))
            {
                if (equals > 0)
                {
                    values[name] = arg[(equals + 1)..];
                }
                else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    values[name] = args[++i];
                }
                else
                {
                    usageError = $"{name} needs a value.";
                    configArgs = [];
                    return false;
                }
            }
            else if (Flags.Contains(arg))
            {
                flags.Add(arg);
            }
            else
            {
                rest.Add(arg);
            }
        }

        configArgs = [.. rest];
        return true;
    }

    private static List<string> List(Dictionary<string, string> values, string option, params char[] separators) =>
        values.TryGetValue(option, out var raw)
            ? [.. raw.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)]
            : [];

    private static void AddIf(bool condition, List<string> list, string value)
    {
        if (condition && !list.Contains(value))
        {
            list.Add(value);
        }
    }

    private static string Show(IReadOnlyList<string> values) => values.Count == 0 ? "(none)" : string.Join(", ", values);

    private const string Usage = """
        Usage: Hubs.Server token --user <id> [options] [configuration arguments]
          --user <id>             the token's subject (required)
          --projects <p1,p2|*>    projects the user may subscribe to (* = all)
          --publisher             adds scope hubs.publish (publish API)
          --incidents             adds scope hubs.incidents (incident subscriptions)
          --admin                 adds role admin (everything)
          --roles <r1,r2>         extra roles (publisher, incidents, admin, ...)
          --scope "<s1 s2>"       extra scopes
          --name <name>           display name claim
          --expires <minutes>     lifetime, default 60
          e.g. --environment Production --Jwt:SigningKey=<key> (read like the server reads its configuration)
        The token is the last line of standard output.
        """;
}
