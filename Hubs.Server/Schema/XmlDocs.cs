using System.Reflection;
using System.Text;
using System.Xml.Linq;

namespace Hubs.Server.Schema;

/// <summary>
/// Reads the summaries of the Contracts' XML documentation file (next to the assembly) as plain one-line text, so
/// generated TypeScript and AsyncAPI carry the same descriptions as the C# contracts. Without the file: no docs.
/// </summary>
internal sealed class XmlDocs
{
    private readonly Dictionary<string, XElement> _members;

    private XmlDocs(Dictionary<string, XElement> members) => _members = members;

    public static XmlDocs Load(Assembly assembly)
    {
        var members = new Dictionary<string, XElement>(StringComparer.Ordinal);
        var path = string.IsNullOrEmpty(assembly.Location) ? null : Path.ChangeExtension(assembly.Location, ".xml");
        if (path is not null && File.Exists(path))
        {
            foreach (var member in XDocument.Load(path).Descendants("member"))
            {
                if (member.Attribute("name")?.Value is { } name)
                {
                    members[name] = member;
                }
            }
        }

        return new XmlDocs(members);
    }

    public string? Type(Type type) => Summary("T:" + TypeId(type));

    public string? Property(PropertyInfo property)
    {
        var own = Summary("P:" + TypeId(property.DeclaringType!) + "." + property.Name);
        if (own is not null)
        {
            return own;
        }

        // Positional records document their properties as <param> of the type.
        return _members.TryGetValue("T:" + TypeId(property.DeclaringType!), out var type)
            ? Text(type.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == property.Name))
            : null;
    }

    public string? Method(MethodInfo method)
    {
        var parameters = method.GetParameters();
        var id = "M:" + TypeId(method.DeclaringType!) + "." + method.Name
            + (parameters.Length == 0 ? string.Empty : "(" + string.Join(",", parameters.Select(p => TypeId(p.ParameterType))) + ")");
        return Summary(id);
    }

    private string? Summary(string id) => _members.TryGetValue(id, out var member) ? Text(member.Element("summary")) : null;

    private static string? Text(XElement? element)
    {
        if (element is null)
        {
            return null;
        }

        var text = new StringBuilder();
        Append(text, element);
        var words = text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? null : string.Join(' ', words);
    }

    private static void Append(StringBuilder text, XElement element)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText t:
                    text.Append(t.Value);
                    break;
                case XElement { Name.LocalName: "see" or "seealso" } see:
                    text.Append(CrefName((string?)see.Attribute("cref")) ?? (string?)see.Attribute("langword") ?? see.Value);
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } reference:
                    text.Append((string?)reference.Attribute("name"));
                    break;
                case XElement child:
                    Append(text, child);
                    break;
            }
        }
    }

    // "M:Hubs.Contracts.Incidents.IIncidentsHub.Subscribe(System.String,...)" -> "IIncidentsHub.Subscribe"
    private static string? CrefName(string? cref)
    {
        if (cref is null)
        {
            return null;
        }

        var name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0)
        {
            name = name[..paren];
        }

        var parts = name.Split('.');
        return cref.StartsWith("T:", StringComparison.Ordinal) || parts.Length < 2 ? parts[^1] : parts[^2] + "." + parts[^1];
    }

    private static string TypeId(Type type)
    {
        if (type.IsArray)
        {
            return TypeId(type.GetElementType()!) + "[]";
        }

        if (type.IsByRef)
        {
            return TypeId(type.GetElementType()!) + "@";
        }

        var name = (type.Namespace is null ? string.Empty : type.Namespace + ".")
            + (type.IsNested ? TypeId(type.DeclaringType!)[(type.Namespace?.Length + 1 ?? 0)..] + "." : string.Empty)
            + type.Name;
        if (!type.IsGenericType)
        {
            return name;
        }

        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return (tick >= 0 ? name[..tick] : name) + "{" + string.Join(",", type.GetGenericArguments().Select(TypeId)) + "}";
    }
}
