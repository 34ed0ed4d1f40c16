using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hubs.Contracts;

namespace Hubs.Server.Schema;

/// <summary>
/// What Hubs.Contracts defines, read by reflection so generated clients and the AsyncAPI document cannot drift from
/// it: hubs (an <c>I{Name}Hub</c> interface with its <c>I{Name}Client</c> and a <c>HubRoutes.{Name}</c> route), message
/// records and enums (wire names from <see cref="HubsJson.Options"/>, nullability from the annotations), and static
/// classes of wire constants. A member type the generators cannot describe is an error, not a silent <c>any</c>.
/// </summary>
internal sealed class ContractCatalog
{
    private const string RootNamespace = "Hubs.Contracts";

    private readonly Dictionary<Type, ContractType> _types;

    private ContractCatalog(IReadOnlyList<ContractHub> hubs, Dictionary<Type, ContractType> types, IReadOnlyList<ContractConstants> constants, string version)
    {
        Hubs = hubs;
        _types = types;
        Types = [.. types.Values.OrderBy(t => ModuleOrder(t.Module)).ThenBy(t => t.Name, StringComparer.Ordinal)];
        Constants = constants;
        Version = version;
    }

    /// <summary>The hubs in <c>HubRoutes</c> declaration order.</summary>
    public IReadOnlyList<ContractHub> Hubs { get; }

    /// <summary>Every message record and enum, by module then name.</summary>
    public IReadOnlyList<ContractType> Types { get; }

    public IReadOnlyList<ContractConstants> Constants { get; }

    /// <summary>The contracts' assembly version (<c>major.minor.build</c>).</summary>
    public string Version { get; }

    /// <summary>Modules in a stable order: the root first, then the hubs' modules in route order, then the rest.</summary>
    public IReadOnlyList<string> Modules =>
        [.. Types.Select(t => t.Module).Concat(Constants.Select(c => c.Module)).Concat(Hubs.Select(h => h.Module))
            .Distinct(StringComparer.Ordinal).OrderBy(ModuleOrder).ThenBy(m => m, StringComparer.Ordinal)];

    public ContractType Type(Type clr) => _types.TryGetValue(clr, out var type)
        ? type
        : throw new InvalidOperationException($"{clr.FullName} is not a message type of Hubs.Contracts.");

    public static ContractCatalog Load() => Load(typeof(HubRoutes).Assembly);

    public static ContractCatalog Load(Assembly contracts)
    {
        var docs = XmlDocs.Load(contracts);
        var nullability = new NullabilityInfoContext();
        var exported = contracts.GetExportedTypes();

        var types = new Dictionary<Type, ContractType>();
        foreach (var type in exported.Where(t => t.IsEnum || (t.IsClass && !(t.IsAbstract && t.IsSealed))))
        {
            types[type] = type.IsEnum ? DescribeEnum(type, docs) : DescribeRecord(type, docs, nullability);
        }

        var constants = exported
            .Where(t => t.IsClass && t.IsAbstract && t.IsSealed && t != typeof(HubsJson))
            .OrderBy(t => t.MetadataToken)
            .Select(t => DescribeConstants(t, docs))
            .Where(c => c.Values.Count > 0 || c.Lists.Count > 0)
            .ToList();

        var hubs = new List<ContractHub>();
        foreach (var route in typeof(HubRoutes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).OrderBy(f => f.MetadataToken))
        {
            var server = exported.SingleOrDefault(t => t.IsInterface && t.Name == "I" + route.Name + "Hub")
                ?? throw new InvalidOperationException($"HubRoutes.{route.Name} has no I{route.Name}Hub interface.");
            var client = exported.SingleOrDefault(t => t.IsInterface && t.Name == "I" + route.Name + "Client" && t.Namespace == server.Namespace)
                ?? throw new InvalidOperationException($"{server.Name} has no I{route.Name}Client interface in its namespace.");
            hubs.Add(new ContractHub(
                route.Name,
                ModuleOf(server),
                (string)route.GetRawConstantValue()!,
                docs.Type(server),
                docs.Type(client),
                Methods(server, docs, nullability, types),
                Methods(client, docs, nullability, types)));
        }

        var unrouted = exported.Where(t => t.IsInterface && t.Name.EndsWith("Hub", StringComparison.Ordinal) && hubs.All(h => "I" + h.Name + "Hub" != t.Name)).ToList();
        if (unrouted.Count > 0)
        {
            throw new InvalidOperationException($"Hub interfaces without a HubRoutes constant: {string.Join(", ", unrouted.Select(t => t.Name))}.");
        }

        var version = contracts.GetName().Version ?? new Version(1, 0, 0);
        return new ContractCatalog(hubs, types, constants, $"{version.Major}.{version.Minor}.{Math.Max(version.Build, 0)}");
    }

    /// <summary>The short name of a contracts namespace: <c>Hubs.Contracts.Incidents</c> → <c>incidents</c>, the root → <c>hubs</c>.</summary>
    public static string ModuleOf(Type type)
    {
        var ns = type.Namespace ?? RootNamespace;
        return ns == RootNamespace ? "hubs" : ns[(RootNamespace.Length + 1)..].Replace('.', '-').ToLowerInvariant();
    }

    private int ModuleOrder(string module)
    {
        if (module == "hubs")
        {
            return 0;
        }

        for (var i = 0; i < Hubs.Count; i++)
        {
            if (Hubs[i].Module == module)
            {
                return i + 1;
            }
        }

        return int.MaxValue;
    }

    private static ContractType DescribeEnum(Type type, XmlDocs docs)
    {
        // Wire strings come from the serializer itself, so a renamed member or a changed naming policy shows up here.
        var values = Enum.GetValues(type).Cast<object>()
            .Select(v => JsonSerializer.Serialize(v, type, HubsJson.Options).Trim('"'))
            .ToList();
        return new ContractType(type, ModuleOf(type), docs.Type(type), [], values);
    }

    private static ContractType DescribeRecord(Type type, XmlDocs docs, NullabilityInfoContext nullability)
    {
        var info = HubsJson.Options.GetTypeInfo(type);
        var properties = new List<ContractProperty>();
        foreach (var property in info.Properties)
        {
            if (property.AttributeProvider is not PropertyInfo clr)
            {
                throw new InvalidOperationException($"{type.Name}.{property.Name} is not a property; the generators describe properties only.");
            }

            properties.Add(new ContractProperty(property.Name, Wire(clr.PropertyType, nullability.Create(clr), $"{type.Name}.{clr.Name}"), docs.Property(clr)));
        }

        return new ContractType(type, ModuleOf(type), docs.Type(type), properties, []);
    }

    private static ContractConstants DescribeConstants(Type type, XmlDocs docs)
    {
        var values = type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .OrderBy(f => f.MetadataToken)
            .Select(f => KeyValuePair.Create(f.Name, (string)f.GetRawConstantValue()!))
            .ToList();
        var lists = type.GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => typeof(IEnumerable<string>).IsAssignableFrom(p.PropertyType))
            .OrderBy(p => p.MetadataToken)
            .Select(p => KeyValuePair.Create(p.Name, (IReadOnlyList<string>)[.. (IEnumerable<string>)p.GetValue(null)!]))
            .ToList();
        return new ContractConstants(type.Name, ModuleOf(type), docs.Type(type), values, lists);
    }

    private static List<ContractMethod> Methods(Type hubInterface, XmlDocs docs, NullabilityInfoContext nullability, Dictionary<Type, ContractType> types)
    {
        var methods = new List<ContractMethod>();
        foreach (var method in hubInterface.GetMethods().OrderBy(m => m.MetadataToken))
        {
            var where = $"{hubInterface.Name}.{method.Name}";
            var parameters = method.GetParameters()
                .Where(p => p.ParameterType != typeof(CancellationToken))
                .Select(p => new ContractParameter(p.Name!, Wire(p.ParameterType, nullability.Create(p), $"{where}({p.Name})")))
                .ToList();

            var returns = method.ReturnType;
            var returnInfo = nullability.Create(method.ReturnParameter);
            WireType? result;
            var isStream = false;
            if (returns == typeof(Task))
            {
                result = null;
            }
            else if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>))
            {
                result = Wire(returns.GetGenericArguments()[0], returnInfo.GenericTypeArguments[0], where);
            }
            else if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>))
            {
                result = Wire(returns.GetGenericArguments()[0], returnInfo.GenericTypeArguments[0], where);
                isStream = true;
            }
            else
            {
                throw new InvalidOperationException($"{where} returns {returns.Name}; hub methods return Task, Task<T> or IAsyncEnumerable<T>.");
            }

            foreach (var named in parameters.Select(p => p.Type).Append(result).SelectMany(Named))
            {
                if (!types.ContainsKey(named))
                {
                    throw new InvalidOperationException($"{where} uses {named.FullName}, which is not an exported Hubs.Contracts type.");
                }
            }

            methods.Add(new ContractMethod(method.Name, parameters, result, isStream, docs.Method(method)));
        }

        return methods;
    }

    private static IEnumerable<Type> Named(WireType? type)
    {
        for (var t = type; t is not null; t = t.Element)
        {
            if (t.Named is not null)
            {
                yield return t.Named;
            }
        }
    }

    private static WireType Wire(Type type, NullabilityInfo info, string where)
    {
        var nullable = info.ReadState == NullabilityState.Nullable;
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            return Wire(underlying, info, where) with { Nullable = true };
        }

        if (type == typeof(string))
        {
            return new WireType(WireTypeKind.String, nullable);
        }

        if (type == typeof(bool))
        {
            return new WireType(WireTypeKind.Boolean, nullable);
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(short))
        {
            return new WireType(WireTypeKind.Integer, nullable);
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return new WireType(WireTypeKind.Number, nullable);
        }

        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            return new WireType(WireTypeKind.DateTime, nullable);
        }

        if (type == typeof(JsonElement))
        {
            return new WireType(WireTypeKind.Json, nullable);
        }

        if (type.IsEnum)
        {
            return new WireType(WireTypeKind.Enum, nullable, type);
        }

        if (type.IsArray)
        {
            return new WireType(WireTypeKind.Array, nullable, Element: Wire(type.GetElementType()!, info.ElementType!, where));
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var arguments = type.GetGenericArguments();
            if (definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(Dictionary<,>))
            {
                if (arguments[0] != typeof(string))
                {
                    throw new InvalidOperationException($"{where}: dictionaries on the wire have string keys.");
                }

                return new WireType(WireTypeKind.Map, nullable, Element: Wire(arguments[1], info.GenericTypeArguments[1], where));
            }

            if (definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>) || definition == typeof(List<>)
                || definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyCollection<>))
            {
                return new WireType(WireTypeKind.Array, nullable, Element: Wire(arguments[0], info.GenericTypeArguments[0], where));
            }
        }

        if (type.IsClass && type.Assembly == typeof(HubRoutes).Assembly)
        {
            return new WireType(WireTypeKind.Record, nullable, type);
        }

        throw new InvalidOperationException($"{where}: the generators cannot describe {type.FullName}; add it to ContractCatalog.Wire.");
    }
}
